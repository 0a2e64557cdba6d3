using System.Text.Json.Serialization;
using LoadLab.Scenarios.Login;
using LoadLab.Scenarios.Payments;

namespace LoadLab.Scenarios.Common;

/// <summary>Source-generated JSON for the request bodies (snake_case, as the targets expect; no reflection on the hot path).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LoginBody))]
[JsonSerializable(typeof(PaymentBody))]
[JsonSerializable(typeof(RefundBody))]
internal sealed partial class ScenarioJson : JsonSerializerContext;
