using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FakeIdp;

/// <summary>One request as the fake IdP received it (for tests that check what was sent).</summary>
public sealed record RecordedRequest(string Scheme, string Method, string RawTarget, string Host, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// A loopback OpenID Connect provider: serves the discovery documents and key sets listed in
/// routes.json of a fixtures folder, on 127.0.0.1 only, over HTTP and over HTTPS with a self-signed
/// certificate (which clients must refuse). Every real origin named in routes.json is rewritten to
/// the request's own origin plus a prefix, so the documents name this server (or the Host a proxied
/// request carries). Answers can be delayed (DelayMs for all, delayMs per route).
/// </summary>
public sealed class FakeIdpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, Route> _routes;
    private readonly List<KeyValuePair<string, string>> _origins;
    private readonly string _fixtures;
    private readonly int _delayMs;
    private readonly string? _logPath;
    private readonly object _logLock = new();

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();
    public string HttpUrl { get; private set; } = "";
    public string HttpsUrl { get; private set; } = "";

    private sealed record Route(string? File, int Status, string? Body, int DelayMs);

    private FakeIdpServer(WebApplication app, string fixtures, int delayMs, string? logPath)
    {
        _app = app;
        _fixtures = fixtures;
        _delayMs = delayMs;
        _logPath = logPath;
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixtures, "routes.json")));
        _origins = doc.RootElement.GetProperty("origins").EnumerateObject()
            .Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)).ToList();
        _routes = new Dictionary<string, Route>(StringComparer.Ordinal);
        foreach (var r in doc.RootElement.GetProperty("routes").EnumerateArray())
        {
            _routes[r.GetProperty("path").GetString()!] = new Route(
                r.TryGetProperty("file", out var f) ? f.GetString() : null,
                r.TryGetProperty("status", out var s) ? s.GetInt32() : 200,
                r.TryGetProperty("body", out var b) ? b.GetString() : null,
                r.TryGetProperty("delayMs", out var d) ? d.GetInt32() : 0);
        }
    }

    /// <summary>Starts the server on two free loopback ports.</summary>
    /// <param name="fixtures">The folder holding routes.json (tests/fixtures/idp-discovery).</param>
    /// <param name="delayMs">Every answer waits this long first (benchmarks).</param>
    /// <param name="logPath">When set, every request is appended to it as a JSON line.</param>
    public static async Task<FakeIdpServer> StartAsync(string fixtures, int delayMs = 0, string? logPath = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        var certificate = SelfSignedCertificate();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(certificate));
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        var server = new FakeIdpServer(app, fixtures, delayMs, logPath);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        server.HttpUrl = addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)).TrimEnd('/');
        server.HttpsUrl = addresses.First(a => a.StartsWith("https://", StringComparison.Ordinal)).TrimEnd('/');
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
            body = await reader.ReadToEndAsync(context.RequestAborted);
        var recorded = new RecordedRequest(
            request.Scheme, request.Method,
            context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString,
            request.Host.Value ?? "",
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body);
        Requests.Enqueue(recorded);
        if (_logPath != null)
            lock (_logLock) File.AppendAllText(_logPath, JsonSerializer.Serialize(recorded) + "\n");

        var delay = _delayMs;
        _routes.TryGetValue(request.Path.Value ?? "", out var route);
        if (route != null) delay += route.DelayMs;
        if (delay > 0)
        {
            try { await Task.Delay(delay, context.RequestAborted); }
            catch (OperationCanceledException) { return; }
        }
        if (route == null || !HttpMethods.IsGet(request.Method))
        {
            context.Response.StatusCode = route == null ? 404 : 405;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"error\":\"not_found\"}");
            return;
        }
        context.Response.StatusCode = route.Status;
        var text = route.File != null ? await File.ReadAllTextAsync(Path.Combine(_fixtures, route.File)) : route.Body ?? "";
        var origin = $"{request.Scheme}://{request.Host.Value}";
        foreach (var kv in _origins) text = text.Replace(kv.Key, origin + kv.Value, StringComparison.Ordinal);
        text = text.Replace("{origin}", origin, StringComparison.Ordinal);
        context.Response.ContentType = route.File != null && route.File.EndsWith(".json", StringComparison.Ordinal) ? "application/json; charset=utf-8" : "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text);
    }

    /// <summary>A certificate for 127.0.0.1 and localhost that no machine trusts.</summary>
    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=ExternalIdp fake IdP (self-signed)", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        // Through PKCS#12, so that the key is usable by the TLS stack on every platform.
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }
}
