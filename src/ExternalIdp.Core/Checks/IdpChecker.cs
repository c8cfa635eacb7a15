using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace ExternalIdp.Core.Checks
{
    /// <summary>Options of Test-KratosIdp.</summary>
    public sealed class CheckOptions
    {
        /// <summary>Skip the checks that read the network (they are reported as Skipped).</summary>
        public bool Offline { get; set; }

        /// <summary>Seconds each request may take.</summary>
        public int TimeoutSec { get; set; } = 10;

        /// <summary>The Kratos release to check against (-KratosVersion); null: what the target records.</summary>
        public string KratosVersion { get; set; }

        /// <summary>
        /// For tests: origins of the fixed issuers (https://accounts.google.com, ...) mapped to the
        /// origins that answer instead. Never set by the cmdlets.
        /// </summary>
        internal IDictionary<string, string> FixedOrigins { get; set; }

        /// <summary>For tests: the handler the requests go through. Default: HttpClientHandler with the system proxy.</summary>
        internal HttpMessageHandler Handler { get; set; }
    }

    /// <summary>
    /// Runs the checks of Test-KratosIdp on IdPs read by a target (CheckInput). Offline checks read
    /// only the settings (and local files the config names); online checks GET the public discovery
    /// document and key set of the issuer Kratos will use. Nothing is sent but GETs of public
    /// documents, and the target is never changed. CheckAsync may run for several IdPs at once.
    /// </summary>
    public sealed partial class IdpChecker : IDisposable
    {
        private readonly CheckOptions _options;
        private readonly DocumentFetcher _fetcher;

        public IdpChecker(CheckOptions options)
        {
            _options = options ?? new CheckOptions();
            _fetcher = new DocumentFetcher(_options.Handler);
        }

        public void Dispose() => _fetcher.Dispose();

        /// <summary>The checks of one IdP, in the order of CheckNames.All.</summary>
        public async Task<IReadOnlyList<KratosIdpCheck>> CheckAsync(CheckSubject subject, CheckInput input, CancellationToken cancel)
        {
            var run = new Run(this, subject, input);
            run.Offline();
            await run.OnlineAsync(cancel).ConfigureAwait(false);
            return run.Results.OrderBy(r => Array.IndexOf(CheckNames.All, r.Check)).ToList();
        }

        private string Rewrite(string fixedUrl)
        {
            if (fixedUrl == null || _options.FixedOrigins == null) return fixedUrl;
            foreach (var kv in _options.FixedOrigins)
                if (fixedUrl.StartsWith(kv.Key, StringComparison.Ordinal)) return kv.Value + fixedUrl.Substring(kv.Key.Length);
            return fixedUrl;
        }

        /// <summary>The checks of one IdP.</summary>
        private sealed partial class Run
        {
            private readonly IdpChecker _c;
            private readonly CheckSubject _s;
            private readonly CheckInput _input;
            private readonly ProviderKind _kind;
            private readonly bool _juju;
            public readonly List<KratosIdpCheck> Results = new List<KratosIdpCheck>();

            public Run(IdpChecker checker, CheckSubject subject, CheckInput input)
            {
                _c = checker;
                _s = subject;
                _input = input;
                ProviderCatalog.TryGetExact(subject.Idp.Provider, out _kind);
                _juju = subject.Idp.TargetType == "Juju";
            }

            private KratosIdp Idp => _s.Idp;
            private string Kind => Idp.Provider ?? "(none)";

            private void Add(string check, KratosIdpCheckResult result, string message, string url = null)
            {
                Results.Add(new KratosIdpCheck
                {
                    IdP = Idp.Name, Name = Idp.Name, Check = check, Result = result, Message = message, Url = url,
                    Provider = Idp.Provider, ProviderId = Idp.ProviderId,
                    TargetType = Idp.TargetType, ConfigPath = Idp.ConfigPath, ConfigRoot = Idp.ConfigRoot,
                    Model = Idp.Model, KratosApplication = Idp.KratosApplication,
                });
            }

            private void Pass(string check, string message, string url = null) => Add(check, KratosIdpCheckResult.Pass, message, url);
            private void Warn(string check, string message, string url = null) => Add(check, KratosIdpCheckResult.Warning, message, url);
            private void Fail(string check, string message, string url = null) => Add(check, KratosIdpCheckResult.Fail, message, url);
            private void Skip(string check, string message, string url = null) => Add(check, KratosIdpCheckResult.Skipped, message, url);

            private string FixHint => _juju
                ? "Fix it with Set-KratosIdpProvider (juju debug-log --include <app> says more)."
                : "Fix it with Set-KratosIdpProvider, or in the file.";
        }
    }
}
