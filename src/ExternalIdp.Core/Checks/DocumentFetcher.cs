using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ExternalIdp.Core.Checks
{
    /// <summary>What one GET of a public JSON document gave.</summary>
    internal sealed class FetchResult
    {
        public string Url;
        /// <summary>The JSON object, when the answer was 200 with a JSON object.</summary>
        public JObject Json;
        /// <summary>Why there is no document (timeout, TLS, status, not JSON), when Json is null.</summary>
        public string Problem;
        public long Milliseconds;
        public bool Ok => Json != null;
    }

    /// <summary>
    /// GETs public JSON documents (discovery documents, key sets) and nothing else: no credentials,
    /// no body, no cookies. Uses the system proxy (HttpClientHandler's default). A request that
    /// takes longer than the timeout, fails TLS or gets no JSON is a result with its reason, not an
    /// exception. Thread-safe: one instance serves the concurrent checks of an invocation.
    /// </summary>
    internal sealed class DocumentFetcher : IDisposable
    {
        private const int MaxDocumentBytes = 1024 * 1024;
        private readonly HttpClient _http;
        private readonly ConcurrentDictionary<HttpRequestMessage, string> _tlsProblems = new ConcurrentDictionary<HttpRequestMessage, string>();

        public DocumentFetcher(HttpMessageHandler handler = null)
        {
            if (handler == null)
            {
                var h = new HttpClientHandler
                {
                    // The system proxy: HTTP(S)_PROXY / NO_PROXY on Linux and macOS, the Internet settings on Windows.
                    UseProxy = true,
                    UseCookies = false,
                    UseDefaultCredentials = false,
                    AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                    // Windows PowerShell's default of 2 connections per host would queue the checks of many IdPs.
                    MaxConnectionsPerServer = 32,
                };
                // Only to say why TLS failed: the answer is the platform's own verdict.
                h.ServerCertificateCustomValidationCallback = (request, cert, chain, errors) =>
                {
                    if (errors != SslPolicyErrors.None) _tlsProblems[request] = DescribeTls(errors, chain);
                    return errors == SslPolicyErrors.None;
                };
                handler = h;
            }
            _http = new HttpClient(handler, disposeHandler: true)
            {
                Timeout = Timeout.InfiniteTimeSpan,
                MaxResponseContentBufferSize = MaxDocumentBytes,
            };
        }

        public void Dispose() => _http.Dispose();

        public async Task<FetchResult> GetJsonAsync(string url, int timeoutSec, CancellationToken cancel)
        {
            var result = new FetchResult { Url = url };
            var watch = Stopwatch.StartNew();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Max(1, timeoutSec))))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancel))
            using (var request = new HttpRequestMessage(HttpMethod.Get, url))
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                request.Headers.UserAgent.Add(new ProductInfoHeaderValue("ExternalIdp-Test-KratosIdp", "1.0"));
                try
                {
                    using (var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false))
                    {
                        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                        result.Milliseconds = watch.ElapsedMilliseconds;
                        if (response.StatusCode != HttpStatusCode.OK)
                        {
                            result.Problem = $"answered {(int)response.StatusCode} {response.ReasonPhrase}{Excerpt(text)}";
                            return result;
                        }
                        result.Json = ParseObject(text, out var why);
                        if (result.Json == null) result.Problem = $"answered 200 but {why}";
                        return result;
                    }
                }
                catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                {
                    throw;
                }
                catch (OperationCanceledException)
                {
                    result.Milliseconds = watch.ElapsedMilliseconds;
                    result.Problem = $"gave no answer within {Math.Max(1, timeoutSec)} s (-TimeoutSec)";
                    return result;
                }
                catch (HttpRequestException e)
                {
                    result.Milliseconds = watch.ElapsedMilliseconds;
                    result.Problem = _tlsProblems.TryRemove(request, out var tls)
                        ? "failed TLS: " + tls
                        : "could not be read: " + Innermost(e);
                    return result;
                }
                finally
                {
                    _tlsProblems.TryRemove(request, out _);
                }
            }
        }

        private static JObject ParseObject(string text, out string why)
        {
            why = null;
            try
            {
                using (var reader = new JsonTextReader(new StringReader(text ?? "")) { DateParseHandling = DateParseHandling.None })
                {
                    var token = JToken.ReadFrom(reader);
                    if (token is JObject o) return o;
                    why = $"with JSON that is not an object ({token.Type})";
                    return null;
                }
            }
            catch (JsonException e)
            {
                why = $"not with JSON ({e.Message.Split('\n')[0].Trim()})";
                return null;
            }
        }

        /// <summary>The start of an error page, on one line, for a message.</summary>
        private static string Excerpt(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return "";
            var line = string.Join(" ", text.Split(new[] { '\r', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries)).Trim();
            return ": " + IdpRules.Printable(line.Length > 100 ? line.Substring(0, 100) + "..." : line);
        }

        /// <summary>The messages of an exception and its inner ones, each once (an outer message often repeats the inner one).</summary>
        private static string Innermost(Exception e)
        {
            var messages = new System.Collections.Generic.List<string>();
            for (var x = e; x != null; x = x.InnerException)
            {
                var m = (x.Message ?? "").Trim().TrimEnd('.');
                if (m.Length == 0 || messages.Any(known => known.IndexOf(m, StringComparison.OrdinalIgnoreCase) >= 0)) continue;
                messages.Add(m);
            }
            return string.Join(": ", messages);
        }

        private static string DescribeTls(SslPolicyErrors errors, X509Chain chain)
        {
            var parts = new System.Collections.Generic.List<string>();
            if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0) parts.Add("the server sent no certificate");
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) parts.Add("the certificate is for another host name");
            if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                var statuses = chain?.ChainStatus?.Select(s => s.Status).Where(s => s != X509ChainStatusFlags.NoError).Distinct().ToList();
                if (statuses == null || statuses.Count == 0) parts.Add("the certificate chain is not valid");
                foreach (var s in statuses ?? new System.Collections.Generic.List<X509ChainStatusFlags>())
                {
                    switch (s)
                    {
                        case X509ChainStatusFlags.UntrustedRoot: parts.Add("the certificate is not issued by an authority this machine trusts (self-signed, or a private CA)"); break;
                        case X509ChainStatusFlags.PartialChain: parts.Add("the chain to a trusted authority is incomplete (the server does not send its intermediate certificates, or the CA is not trusted here)"); break;
                        case X509ChainStatusFlags.NotTimeValid: parts.Add("the certificate has expired or is not valid yet"); break;
                        case X509ChainStatusFlags.Revoked: parts.Add("the certificate is revoked"); break;
                        default: parts.Add("certificate chain: " + s); break;
                    }
                }
            }
            return string.Join("; ", parts.Distinct());
        }
    }
}
