using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace LoadLab.Targets.Observability;

/// <summary>
/// Writes one JSON object per line with service, environment, release, trace_id and span_id,
/// the fields the observability guide asks of every log line. Every string goes through
/// <see cref="LogRedactor"/>.
/// </summary>
internal sealed class JsonLoggerProvider : ILoggerProvider
{
    private readonly TextWriter _output;
    private readonly ServiceIdentity _identity;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _writeLock = new();

    public JsonLoggerProvider(TextWriter output, ServiceIdentity identity, TimeProvider timeProvider)
    {
        _output = output;
        _identity = identity;
        _timeProvider = timeProvider;
    }

    public ILogger CreateLogger(string categoryName) => new JsonLogger(this, categoryName);

    public void Dispose()
    {
        lock (_writeLock)
        {
            _output.Flush();
        }
    }

    private void Write<TState>(string category, LogLevel level, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", _timeProvider.GetUtcNow().UtcDateTime.ToString("O"));
            json.WriteString("level", LevelName(level));
            json.WriteString("service", _identity.Service);
            json.WriteString("environment", _identity.Environment);
            json.WriteString("release", _identity.Release);
            var activity = Activity.Current;
            if (activity is not null)
            {
                json.WriteString("trace_id", activity.TraceId.ToHexString());
                json.WriteString("span_id", activity.SpanId.ToHexString());
            }
            else
            {
                json.WriteNull("trace_id");
                json.WriteNull("span_id");
            }

            json.WriteString("category", category);
            if (eventId.Id != 0)
            {
                json.WriteNumber("event_id", eventId.Id);
            }

            json.WriteString("message", LogRedactor.Redact(formatter(state, exception)));
            if (state is IReadOnlyList<KeyValuePair<string, object?>> properties)
            {
                foreach (var (key, value) in properties)
                {
                    if (key == "{OriginalFormat}" || IsReserved(key))
                    {
                        continue;
                    }

                    var name = ToSnakeCase(key);
                    switch (value)
                    {
                        case null:
                            json.WriteNull(name);
                            break;
                        case int or long or short or byte:
                            json.WriteNumber(name, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                            break;
                        case double d when double.IsFinite(d):
                            json.WriteNumber(name, d);
                            break;
                        case bool b:
                            json.WriteBoolean(name, b);
                            break;
                        default:
                            json.WriteString(name, LogRedactor.Redact(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty));
                            break;
                    }
                }
            }

            if (exception is not null)
            {
                json.WriteString("exception_type", exception.GetType().FullName);
                json.WriteString("exception_message", LogRedactor.Redact(exception.Message));
            }

            json.WriteEndObject();
        }

        var line = Encoding.UTF8.GetString(buffer.WrittenSpan);
        lock (_writeLock)
        {
            _output.WriteLine(line);
        }
    }

    private static bool IsReserved(string key) => key is "timestamp" or "level" or "service" or "environment" or "release"
        or "trace_id" or "span_id" or "category" or "message" or "event_id";

    private static string ToSnakeCase(string key) => JsonNamingPolicy.SnakeCaseLower.ConvertName(key);

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        LogLevel.Critical => "fatal",
        _ => "none",
    };

    private sealed class JsonLogger(JsonLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(category, logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
