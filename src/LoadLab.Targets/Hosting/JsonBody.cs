using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LoadLab.Targets.Hosting;

/// <summary>Reads a request body as a JSON object; any malformed input becomes a 400 problem, never a 500.</summary>
internal static class JsonBody
{
    public static async Task<(JsonDocument? Document, IResult? Error)> ReadObjectAsync(HttpRequest request, bool required)
    {
        byte[] bytes;
        try
        {
            using var memory = new MemoryStream();
            await request.Body.CopyToAsync(memory, request.HttpContext.RequestAborted);
            bytes = memory.ToArray();
        }
        catch (BadHttpRequestException ex)
        {
            return (null, Problems.Status(ex.StatusCode, "Bad request body", ex.Message));
        }

        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            return required ? (null, Problems.Validation("body", "A JSON object is required.")) : (null, null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            return (null, Problems.Validation("body", $"The body is not valid JSON (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1})."));
        }

        var kind = document.RootElement.ValueKind;
        if (kind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, Problems.Validation("body", $"A JSON object is required, not {kind.ToString().ToLowerInvariant()}."));
        }

        return (document, null);
    }

    /// <summary>A string property, recording an error when it is missing (if required) or not a string.</summary>
    public static string? String(JsonElement root, string name, bool required, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors[name] = ["The field is required."];
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors[name] = [$"Must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}."];
            return null;
        }

        return value.GetString();
    }

    /// <summary>A decimal amount, recording an error when it is missing (if required), not a number, or out of range.</summary>
    public static decimal? Amount(JsonElement root, string name, bool required, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors[name] = ["The field is required."];
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var amount))
        {
            errors[name] = [$"Must be a number such as 12.50, not {value.ValueKind.ToString().ToLowerInvariant()}."];
            return null;
        }

        if (amount <= 0)
        {
            errors[name] = ["Must be greater than 0."];
            return null;
        }

        return amount;
    }
}
