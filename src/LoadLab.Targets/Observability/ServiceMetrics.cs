using Prometheus;

namespace LoadLab.Targets.Observability;

/// <summary>
/// The metrics of one service instance, in a registry of its own: two services share a process
/// and tests start several, so the static default registry would mix them.
/// Names and labels follow DESIGN.md ("Target services use the names ...") and docs/targets.md.
/// </summary>
internal sealed class ServiceMetrics
{
    public const string RequestsTotal = "service_http_requests_total";
    public const string RequestDuration = "service_http_request_duration_seconds";
    public const string PaymentsTotal = "payments_total";
    public const string SecurityEventsTotal = "security_events_total";
    public const string BuildInfo = "service_build_info";
    public const string CardProcessorCallsTotal = "card_processor_calls_total";
    public const string DependencyFaultActive = "dependency_fault_active";
    public const string DependencyFaultsInjectedTotal = "dependency_faults_injected_total";

    /// <summary>The observability guide's buckets for request durations.</summary>
    public static readonly double[] DurationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5];

    public static readonly string[] PaymentOutcomes = ["approved", "declined", "failed"];
    public static readonly string[] DependencyFaultKinds = ["latency", "error", "outage"];
    public static readonly string[] SecurityEvents = ["login_failed", "invalid_token", "access_denied"];

    private readonly ServiceIdentity _identity;
    private readonly Counter _requests;
    private readonly Histogram _duration;
    private readonly Counter _payments;
    private readonly Counter _security;
    private readonly Counter _cardProcessorCalls;
    private readonly Gauge _faultActive;
    private readonly Counter _faultsInjected;

    public ServiceMetrics(ServiceIdentity identity)
    {
        _identity = identity;
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _requests = factory.CreateCounter(RequestsTotal, "HTTP requests handled, by route template and status code.",
            new CounterConfiguration { LabelNames = ["service", "method", "code", "environment", "endpoint"] });
        _duration = factory.CreateHistogram(RequestDuration, "HTTP request duration in seconds, by route template.",
            new HistogramConfiguration { LabelNames = ["service", "endpoint", "environment"], Buckets = DurationBuckets });
        _payments = factory.CreateCounter(PaymentsTotal, "Payment authorizations by outcome (approved, declined, failed).",
            new CounterConfiguration { LabelNames = ["service", "environment", "outcome"] });
        _security = factory.CreateCounter(SecurityEventsTotal, "Security events (login_failed, invalid_token, access_denied).",
            new CounterConfiguration { LabelNames = ["service", "environment", "event"] });
        var buildInfo = factory.CreateGauge(BuildInfo, "Always 1; carries the release of the running service.",
            new GaugeConfiguration { LabelNames = ["service", "environment", "release"] });
        buildInfo.WithLabels(identity.Service, identity.Environment, identity.Release).Set(1);
        _cardProcessorCalls = factory.CreateCounter(CardProcessorCallsTotal, "Calls to the simulated card processor, by operation and outcome.",
            new CounterConfiguration { LabelNames = ["service", "environment", "operation", "outcome"] });
        _faultActive = factory.CreateGauge(DependencyFaultActive, "Whether a fault is switched on for a dependency (0/1).",
            new GaugeConfiguration { LabelNames = ["service", "environment", "dependency", "fault"] });
        _faultsInjected = factory.CreateCounter(DependencyFaultsInjectedTotal, "Faults injected into dependency calls.",
            new CounterConfiguration { LabelNames = ["service", "environment", "dependency", "fault"] });

        // Every security event exists from the start so rate() and dashboards see a zero, not nothing.
        foreach (var name in SecurityEvents)
        {
            _security.WithLabels(identity.Service, identity.Environment, name);
        }

        if (identity.Service == ServiceIdentity.PaymentsService)
        {
            foreach (var outcome in PaymentOutcomes)
            {
                _payments.WithLabels(identity.Service, identity.Environment, outcome);
            }

            foreach (var fault in DependencyFaultKinds)
            {
                _faultsInjected.WithLabels(identity.Service, identity.Environment, Chaos.DependencyFaultSwitch.Dependency, fault);
            }
        }
    }

    public CollectorRegistry Registry { get; }

    public void ObserveRequest(string method, int code, string endpoint, double seconds)
    {
        _requests.WithLabels(_identity.Service, method, code.ToString(System.Globalization.CultureInfo.InvariantCulture), _identity.Environment, endpoint).Inc();
        _duration.WithLabels(_identity.Service, endpoint, _identity.Environment).Observe(seconds);
    }

    public void Payment(string outcome) => _payments.WithLabels(_identity.Service, _identity.Environment, outcome).Inc();

    public void SecurityEvent(string name) => _security.WithLabels(_identity.Service, _identity.Environment, name).Inc();

    public void CardProcessorCall(string operation, string outcome) =>
        _cardProcessorCalls.WithLabels(_identity.Service, _identity.Environment, operation, outcome).Inc();

    public void FaultActive(string dependency, string fault, bool active) =>
        _faultActive.WithLabels(_identity.Service, _identity.Environment, dependency, fault).Set(active ? 1 : 0);

    public void FaultInjected(string dependency, string fault) =>
        _faultsInjected.WithLabels(_identity.Service, _identity.Environment, dependency, fault).Inc();
}
