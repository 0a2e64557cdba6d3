namespace LoadLab.Targets.Observability;

/// <summary>Who a running service is: the values of its <c>service</c>, <c>environment</c> and release labels.</summary>
internal sealed record ServiceIdentity(string Service, string Environment, string Release)
{
    public const string ApiService = "api-service";
    public const string PaymentsService = "payments-service";

    /// <summary>Tells this instance's spans apart when several services share one process.</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");
}
