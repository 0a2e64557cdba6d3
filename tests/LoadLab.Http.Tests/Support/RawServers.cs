using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LoadLab.Http.Tests.Support;

/// <summary>Misbehaving servers on 127.0.0.1 built on raw sockets.</summary>
internal static class RawServers
{
    /// <summary>A port nothing listens on: bind a listener, take its port, stop it.</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>
/// A server that accepts connections and then, per <see cref="Behaviour"/>, resets them (RST via linger 0),
/// holds them without answering, or answers with a fixed response after recording the request's bytes.
/// </summary>
internal sealed class RawServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _held = [];
    private readonly Task _loop;
    private readonly byte[] _response;

    public RawServer(Behaviour behaviour, string response = "")
    {
        BehaviourKind = behaviour;
        _response = Encoding.ASCII.GetBytes(response);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptLoopAsync);
    }

    public enum Behaviour
    {
        Reset,
        Hang,
        Answer,
    }

    public Behaviour BehaviourKind { get; }

    public int Port { get; }

    /// <summary>The bytes of each request received (Answer mode).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<byte[]> Requests { get; } = new();

    public string Url(string path = "/") => $"http://127.0.0.1:{Port}{path}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        lock (_held)
        {
            foreach (var s in _held)
            {
                s.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            switch (BehaviourKind)
            {
                case Behaviour.Reset:
                    // Read what arrives first so the client is waiting for the answer, then RST.
                    await ReadRequestAsync(socket);
                    socket.LingerState = new LingerOption(true, 0);
                    socket.Close();
                    break;
                case Behaviour.Hang:
                    lock (_held)
                    {
                        _held.Add(socket);
                    }

                    break;
                default:
                    var request = await ReadRequestAsync(socket);
                    Requests.Enqueue(request);
                    await socket.SendAsync(_response, SocketFlags.None);
                    socket.Shutdown(SocketShutdown.Send);
                    socket.Dispose();
                    break;
            }
        }
    }

    /// <summary>Reads one request: headers up to the blank line, then Content-Length bytes.</summary>
    private async Task<byte[]> ReadRequestAsync(Socket socket)
    {
        var data = new List<byte>();
        var buffer = new byte[4096];
        var headerEnd = -1;
        var contentLength = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (n == 0)
            {
                return [.. data];
            }

            data.AddRange(buffer.AsSpan(0, n));
            if (headerEnd < 0)
            {
                var text = Encoding.ASCII.GetString([.. data]);
                headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (headerEnd >= 0)
                {
                    headerEnd += 4;
                    foreach (var line in text[..headerEnd].Split("\r\n"))
                    {
                        if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                        {
                            contentLength = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                        }
                    }
                }
            }

            if (headerEnd >= 0 && data.Count >= headerEnd + contentLength)
            {
                return [.. data];
            }
        }
    }
}
