using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LoadLab.TestUtils.Servers;

/// <summary>
/// A real server binary (Prometheus, Pushgateway) started as a child process on a free loopback port.
/// Disposing kills it. Used by <see cref="PrometheusServer"/> and <see cref="PushgatewayServer"/>.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>Gets the loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>Gets a value indicating whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Gets the last lines the server wrote (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                var text = _output.ToString();
                return text.Length > 4000 ? text[^4000..] : text;
            }
        }
    }

    /// <summary>Returns a free TCP port on 127.0.0.1 (the OS picks it; a race with other processes is unlikely).</summary>
    /// <returns>The port.</returns>
    public static int GetFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Fails with the install command when a server binary is missing.</summary>
    /// <param name="path">The binary.</param>
    /// <param name="package">The Debian package that provides it.</param>
    /// <exception cref="InvalidOperationException">The binary does not exist.</exception>
    public static void RequireBinary(string path, string package)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"'{path}' was not found; these tests need a real {package}. Install it with: sudo apt-get install -y {package}");
        }
    }

    /// <summary>Starts the binary and waits until <paramref name="readyPath"/> answers 200.</summary>
    /// <param name="fileName">The binary.</param>
    /// <param name="arguments">Arguments; "{port}" is replaced by the chosen port.</param>
    /// <param name="readyPath">The readiness path, e.g. /-/ready.</param>
    /// <param name="timeout">How long to wait for readiness.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="InvalidOperationException">The server exited or did not become ready.</exception>
    public static async Task<ServerProcess> StartAsync(
        string fileName, IReadOnlyList<string> arguments, string readyPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = GetFreePort();
            var info = new ProcessStartInfo(fileName)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument.Replace("{port}", port.ToString(), StringComparison.Ordinal));
            }

            var process = new Process { StartInfo = info };
            var server = new ServerProcess(process, port);
            process.OutputDataReceived += (_, e) => server.Append(e.Data);
            process.ErrorDataReceived += (_, e) => server.Append(e.Data);
            process.Start();
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            try
            {
                await server.WaitReadyAsync(readyPath, timeout, cancellationToken).ConfigureAwait(false);
                return server;
            }
            catch (InvalidOperationException ex)
            {
                // Most likely the port was taken between GetFreePort and the bind: try another.
                last = ex;
                server.Dispose();
            }
        }

        throw new InvalidOperationException($"{fileName} did not start: {last?.Message}", last);
    }

    /// <summary>Kills the server at once (fault tests: "killed mid-run").</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > 64_000)
            {
                _output.Remove(0, 32_000);
            }
        }
    }

    private async Task WaitReadyAsync(string readyPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var url = new Uri($"http://127.0.0.1:{Port}{readyPath}");
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_process.StartInfo.FileName} exited with {_process.ExitCode}: {Output}");
            }

            try
            {
                using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The request timed out; try again.
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"{_process.StartInfo.FileName} was not ready at {url} within {timeout}: {Output}");
    }
}
