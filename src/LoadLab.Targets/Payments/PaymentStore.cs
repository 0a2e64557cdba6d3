using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace LoadLab.Targets.Payments;

/// <summary>A stored payment. Card data is only the brand and the last four digits.</summary>
internal sealed record Payment(
    string Id,
    string Status,
    string Customer,
    long AmountMinor,
    string Currency,
    string CardBrand,
    string CardLast4,
    string? DeclineReason,
    long CapturedMinor,
    long RefundedMinor,
    string? Description,
    string Release,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public const string Authorized = "authorized";
    public const string Declined = "declined";
    public const string Failed = "failed";
    public const string Captured = "captured";
    public const string PartiallyRefunded = "partially_refunded";
    public const string Refunded = "refunded";
}

internal sealed record Refund(string Id, string PaymentId, long AmountMinor, string? Reason, DateTimeOffset CreatedAt);

/// <summary>
/// Payments in SQLite with write-ahead logging: each write is committed before the answer is
/// sent, so stopping and starting the service on the same directory loses nothing
/// (synchronous=NORMAL in WAL mode survives a process crash; only a power cut can drop the last commits).
/// Writes are serialised in-process (SQLite has one writer); reads run concurrently.
/// </summary>
internal sealed class PaymentStore : IDisposable
{
    public const string FileName = "payments.db";

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SqliteConnection _writer;
    private byte[] _hashKey = [];

    public PaymentStore(string directory)
    {
        Directory.CreateDirectory(directory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _writer = new SqliteConnection(_connectionString);
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _writer.OpenAsync(cancellationToken);
        await ExecuteAsync(_writer, """
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS payments (
                id TEXT PRIMARY KEY,
                idempotency_key TEXT UNIQUE,
                request_hash TEXT,
                status TEXT NOT NULL,
                customer TEXT NOT NULL,
                amount INTEGER NOT NULL,
                currency TEXT NOT NULL,
                card_brand TEXT NOT NULL,
                card_last4 TEXT NOT NULL,
                decline_reason TEXT,
                amount_captured INTEGER NOT NULL DEFAULT 0,
                amount_refunded INTEGER NOT NULL DEFAULT 0,
                description TEXT,
                release TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS refunds (
                id TEXT PRIMARY KEY,
                payment_id TEXT NOT NULL REFERENCES payments(id),
                amount INTEGER NOT NULL,
                reason TEXT,
                created_at TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS refunds_payment ON refunds(payment_id);
            INSERT OR IGNORE INTO meta(key, value) VALUES ('request_hash_key', $key);
            """, cancellationToken, ("$key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));

        using var command = _writer.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = 'request_hash_key'";
        _hashKey = Convert.FromBase64String((string)(await command.ExecuteScalarAsync(cancellationToken))!);
    }

    /// <summary>
    /// A keyed hash of everything that makes a request "the same" for Idempotency-Key. Keyed (HMAC)
    /// with a secret of this database so the stored hash does not let anyone recover a card number.
    /// </summary>
    public string RequestHash(PaymentRequest request)
    {
        var canonical = string.Join('\n', request.Customer, request.AmountMinor.ToString(CultureInfo.InvariantCulture), request.Currency, request.CardNumber, request.Description ?? string.Empty);
        return Convert.ToHexString(HMACSHA256.HashData(_hashKey, Encoding.UTF8.GetBytes(canonical)));
    }

    public async Task<(Payment Payment, string? RequestHash)?> FindByIdempotencyKeyAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT *, request_hash FROM payments WHERE idempotency_key = $key";
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return (Read(reader), reader.IsDBNull(reader.GetOrdinal("request_hash")) ? null : reader.GetString(reader.GetOrdinal("request_hash")));
    }

    public async Task InsertAsync(Payment payment, string? idempotencyKey, string? requestHash, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await ExecuteAsync(_writer, """
                INSERT INTO payments (id, idempotency_key, request_hash, status, customer, amount, currency, card_brand, card_last4,
                    decline_reason, amount_captured, amount_refunded, description, release, created_at, updated_at)
                VALUES ($id, $key, $hash, $status, $customer, $amount, $currency, $brand, $last4,
                    $decline, $captured, $refunded, $description, $release, $created, $updated)
                """, cancellationToken,
                ("$id", payment.Id), ("$key", idempotencyKey), ("$hash", requestHash), ("$status", payment.Status),
                ("$customer", payment.Customer), ("$amount", payment.AmountMinor), ("$currency", payment.Currency),
                ("$brand", payment.CardBrand), ("$last4", payment.CardLast4), ("$decline", payment.DeclineReason),
                ("$captured", payment.CapturedMinor), ("$refunded", payment.RefundedMinor), ("$description", payment.Description),
                ("$release", payment.Release), ("$created", Format(payment.CreatedAt)), ("$updated", Format(payment.UpdatedAt)));
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<Payment?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM payments WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<Refund>> GetRefundsAsync(string paymentId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, payment_id, amount, reason, created_at FROM refunds WHERE payment_id = $id ORDER BY created_at, id";
        command.Parameters.AddWithValue("$id", paymentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var refunds = new List<Refund>();
        while (await reader.ReadAsync(cancellationToken))
        {
            refunds.Add(new Refund(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3), Parse(reader.GetString(4))));
        }

        return refunds;
    }

    /// <summary>Captures an authorized payment; false when it is no longer authorized (a concurrent capture won).</summary>
    public async Task<bool> CaptureAsync(string id, long amountMinor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            return await ExecuteAsync(_writer, """
                UPDATE payments SET status = 'captured', amount_captured = $amount, updated_at = $now
                WHERE id = $id AND status = 'authorized' AND $amount <= amount
                """, cancellationToken, ("$id", id), ("$amount", amountMinor), ("$now", Format(now))) == 1;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Records a refund; false when it would exceed what is left to refund (a concurrent refund won).</summary>
    public async Task<bool> AddRefundAsync(Refund refund, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var transaction = (SqliteTransaction)await _writer.BeginTransactionAsync(cancellationToken);
            var updated = await ExecuteAsync(_writer, transaction, """
                UPDATE payments SET amount_refunded = amount_refunded + $amount,
                    status = CASE WHEN amount_refunded + $amount = amount_captured THEN 'refunded' ELSE 'partially_refunded' END,
                    updated_at = $now
                WHERE id = $id AND status IN ('captured', 'partially_refunded') AND amount_refunded + $amount <= amount_captured
                """, cancellationToken, ("$id", refund.PaymentId), ("$amount", refund.AmountMinor), ("$now", Format(now)));
            if (updated != 1)
            {
                await transaction.RollbackAsync(cancellationToken);
                return false;
            }

            await ExecuteAsync(_writer, transaction, "INSERT INTO refunds (id, payment_id, amount, reason, created_at) VALUES ($id, $payment, $amount, $reason, $created)",
                cancellationToken, ("$id", refund.Id), ("$payment", refund.PaymentId), ("$amount", refund.AmountMinor), ("$reason", refund.Reason), ("$created", Format(refund.CreatedAt)));
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Dispose()
    {
        // Clear this database's pooled connections so the files can be deleted or reopened by a new instance.
        SqliteConnection.ClearPool(_writer);
        _writer.Dispose();
        _writeLock.Dispose();
    }

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static Payment Read(SqliteDataReader r)
    {
        string? NullableString(string column)
        {
            var ordinal = r.GetOrdinal(column);
            return r.IsDBNull(ordinal) ? null : r.GetString(ordinal);
        }

        return new Payment(
            r.GetString(r.GetOrdinal("id")),
            r.GetString(r.GetOrdinal("status")),
            r.GetString(r.GetOrdinal("customer")),
            r.GetInt64(r.GetOrdinal("amount")),
            r.GetString(r.GetOrdinal("currency")),
            r.GetString(r.GetOrdinal("card_brand")),
            r.GetString(r.GetOrdinal("card_last4")),
            NullableString("decline_reason"),
            r.GetInt64(r.GetOrdinal("amount_captured")),
            r.GetInt64(r.GetOrdinal("amount_refunded")),
            NullableString("description"),
            r.GetString(r.GetOrdinal("release")),
            Parse(r.GetString(r.GetOrdinal("created_at"))),
            Parse(r.GetString(r.GetOrdinal("updated_at"))));
    }

    private static Task<int> ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        ExecuteAsync(connection, null, sql, cancellationToken, parameters);

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
