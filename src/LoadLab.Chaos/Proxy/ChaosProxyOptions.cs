using System.Net;
using LoadLab.Chaos.Faults;

namespace LoadLab.Chaos.Proxy;

/// <summary>Options of a <see cref="ChaosProxy"/>.</summary>
public sealed class ChaosProxyOptions
{
    /// <summary>Gets or sets the target: an absolute http(s) URL of the service behind the proxy.</summary>
    /// <value>Required.</value>
    public string Target { get; set; } = "";

    /// <summary>Gets or sets the address the proxy listens on, <c>host:port</c>; port 0 picks a free port.</summary>
    /// <value>Defaults to <c>127.0.0.1:0</c>. Must be loopback unless <see cref="AllowRemote"/> is set.</value>
    public string Listen { get; set; } = "127.0.0.1:0";

    /// <summary>Gets or sets the address of the admin API and /metrics, <c>host:port</c>; always loopback.</summary>
    /// <value>Defaults to the listen port + 1 on 127.0.0.1 (a free port when the listen port is 0).</value>
    public string? AdminListen { get; set; }

    /// <summary>Gets or sets the bearer token of the admin API; null generates one (read it from <see cref="ChaosProxy.AdminToken"/>).</summary>
    public string? AdminToken { get; set; }

    /// <summary>Gets or sets a value indicating whether the proxy may listen on a non-loopback address.</summary>
    public bool AllowRemote { get; set; }

    /// <summary>Gets or sets the proxy's name: the <c>target</c> label of its fault metrics, and how game days address it.</summary>
    /// <value>Defaults to the target's host:port.</value>
    public string? Name { get; set; }

    /// <summary>Gets or sets the faults applied from the start.</summary>
    public IReadOnlyList<FaultSpec> Faults { get; set; } = [];

    /// <summary>Gets or sets the source of uniform random numbers in [0, 1); seed it for deterministic tests.</summary>
    /// <value>Defaults to <see cref="Random.Shared"/>.</value>
    public Func<double> Randomizer { get; set; } = Random.Shared.NextDouble;

    /// <summary>Gets or sets the time provider for latency, hangs and fault windows.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the fault metrics; null creates a registry of the proxy's own.</summary>
    public FaultMetrics? Metrics { get; set; }

    /// <summary>Parses a target URL.</summary>
    /// <param name="target">The text.</param>
    /// <param name="uri">The URL.</param>
    /// <param name="error">What was expected, when it does not parse.</param>
    /// <returns>True when it parses.</returns>
    public static bool TryParseTarget(string? target, out Uri? uri, out string? error)
    {
        error = null;
        if (!Uri.TryCreate(target, UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            uri = null;
            error = $"expected an absolute http:// or https:// URL such as http://127.0.0.1:5081, got '{target}'";
            return false;
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            error = $"expected a URL without query or fragment, got '{target}'";
            uri = null;
            return false;
        }

        return true;
    }

    /// <summary>Parses a listen address: <c>127.0.0.1:8081</c>, <c>[::1]:8081</c> or <c>localhost:8081</c>.</summary>
    /// <param name="listen">The text.</param>
    /// <param name="endPoint">The end point.</param>
    /// <param name="error">What was expected, when it does not parse.</param>
    /// <returns>True when it parses.</returns>
    public static bool TryParseListen(string? listen, out IPEndPoint? endPoint, out string? error)
    {
        error = null;
        endPoint = null;
        var text = listen?.Trim() ?? "";
        if (text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
        {
            text = "127.0.0.1" + text["localhost".Length..];
        }

        if (!IPEndPoint.TryParse(text, out endPoint) || !text.Contains(':', StringComparison.Ordinal) || text.EndsWith(':') || text.EndsWith(']'))
        {
            endPoint = null;
            error = $"expected host:port such as 127.0.0.1:8081, got '{listen}'";
            return false;
        }

        return true;
    }

    internal IReadOnlyList<string> Validate(out Uri? target, out IPEndPoint? listen, out IPEndPoint? admin)
    {
        var errors = new List<string>();
        admin = null;
        if (!TryParseTarget(Target, out target, out var error))
        {
            errors.Add("--target: " + error);
        }

        if (!TryParseListen(Listen, out listen, out error))
        {
            errors.Add("--listen: " + error);
        }
        else if (!IPAddress.IsLoopback(listen!.Address) && !AllowRemote)
        {
            errors.Add($"--listen: expected a loopback address (127.0.0.1, ::1 or localhost), got '{Listen}'; add --allow-remote to listen on other interfaces");
        }

        if (AdminListen is not null)
        {
            if (!TryParseListen(AdminListen, out admin, out error))
            {
                errors.Add("--admin-listen: " + error);
            }
            else if (!IPAddress.IsLoopback(admin!.Address))
            {
                errors.Add($"--admin-listen: expected a loopback address, the admin API is never exposed, got '{AdminListen}'");
            }
        }
        else if (listen is not null)
        {
            admin = new IPEndPoint(IPAddress.IsLoopback(listen.Address) ? listen.Address : IPAddress.Loopback, listen.Port is 0 or IPEndPoint.MaxPort ? 0 : listen.Port + 1);
        }

        if (AdminToken is { Length: < 16 })
        {
            errors.Add("--admin-token: expected at least 16 characters");
        }

        foreach (var faultError in FaultSpec.ValidateAll(Faults))
        {
            errors.Add("--faults: " + faultError);
        }

        return errors;
    }
}

/// <summary>The options of a chaos proxy are invalid (a user's mistake: the CLI maps it to exit code 2).</summary>
public sealed class ChaosProxyException : Exception
{
    public ChaosProxyException()
    {
    }

    public ChaosProxyException(string message)
        : base(message)
    {
    }

    public ChaosProxyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
