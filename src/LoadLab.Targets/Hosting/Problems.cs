using Microsoft.AspNetCore.Http;

namespace LoadLab.Targets.Hosting;

/// <summary>application/problem+json answers (RFC 9457) shared by both services.</summary>
internal static class Problems
{
    public static IResult Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is invalid.", type: "https://loadlab.dev/problems/validation");

    public static IResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found", type: "https://loadlab.dev/problems/not-found");

    public static IResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict", type: "https://loadlab.dev/problems/conflict");

    public static IResult Unauthorized(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", type: "https://loadlab.dev/problems/unauthorized");

    public static IResult Status(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: "https://loadlab.dev/problems/" + status.ToString(System.Globalization.CultureInfo.InvariantCulture), extensions: extensions);
}
