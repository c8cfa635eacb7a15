using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace ExternalIdp.Core.Juju
{
    /// <summary>
    /// IdPs of a Canonical Identity Platform model: one kratos-external-idp-integrator application
    /// per IdP, related to the kratos application, driven through the juju CLI found on PATH.
    /// Secrets never go on a command line: juju config reads them from standard input (--file -), and
    /// juju deploy from a private options file in a folder that juju can read (JujuCli.FileFolder).
    /// </summary>
    public sealed partial class JujuTarget : IIdpTarget
    {
        public const string IntegratorCharm = "kratos-external-idp-integrator";
        public const string Endpoint = "kratos-external-idp";

        private const string ReadyMessage = "The OIDC provider is ready";
        private const string ReadyMessageOld = "Provider is ready";
        private const string DisabledMessage = "The OIDC provider is disabled";
        private const string DisabledMessageOld = "Provider is disabled";

        private static readonly Regex AppNamePattern = new Regex(@"^[a-z][a-z0-9]*(-[a-z0-9]*[a-z][a-z0-9]*)*$", RegexOptions.CultureInvariant);
        private static readonly string[] Unsupported = { "SubjectSource", "ClaimsSource", "Pkce" };

        /// <summary>Kratos key → integrator option.</summary>
        private static readonly Dictionary<string, string> OptionOf = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Fields.Id] = "provider_id",
            [Fields.Provider] = "provider",
            [Fields.ClientId] = "client_id",
            [Fields.ClientSecret] = "client_secret",
            [Fields.IssuerUrl] = "issuer_url",
            [Fields.MicrosoftTenant] = "microsoft_tenant_id",
            [Fields.AppleTeamId] = "apple_team_id",
            [Fields.ApplePrivateKeyId] = "apple_private_key_id",
            [Fields.ApplePrivateKey] = "apple_private_key",
            [Fields.Label] = "label",
            [Fields.Scope] = "scope",
            [Fields.MapperUrl] = "jsonnet_mapper",
        };

        /// <summary>The integrator's options that describe the provider (compared to recognise a half-done Add).</summary>
        private static readonly ICollection<string> ProviderOptions = OptionOf.Values;

        /// <summary>
        /// The integrator's options that the kratos charm does not write as plain YAML values: the scope goes
        /// into a quoted list, the jsonnet mapper into a file, and enabled only decides whether it is written.
        /// </summary>
        private static readonly HashSet<string> NotRenderedPlain = new HashSet<string>(StringComparer.Ordinal) { "scope", "jsonnet_mapper", "enabled" };

        /// <summary>The integrator's options that hold secrets.</summary>
        private static readonly HashSet<string> SecretOptions = new HashSet<string>(StringComparer.Ordinal) { "client_secret", "apple_private_key" };

        /// <summary>Integrator option → the parameter that sets it (the charm takes jsonnet source: -JsonnetMapper).</summary>
        private static readonly Dictionary<string, string> ParameterOfOption = OptionOf.ToDictionary(
            kv => kv.Value, kv => kv.Key == Fields.MapperUrl ? "-JsonnetMapper" : "-" + Fields.ParameterOf[kv.Key], StringComparer.Ordinal);

        private readonly string _model;
        private readonly string _kratos;
        private readonly IDictionary<string, string> _env;
        private string _resolvedModel;

        public JujuTarget(string model, string kratosApplication) : this(model, kratosApplication, null) { }

        /// <summary>For tests: env overrides the environment of juju (PATH also decides which juju is found).</summary>
        internal JujuTarget(string model, string kratosApplication, IDictionary<string, string> env)
        {
            _model = string.IsNullOrWhiteSpace(model) ? null : model.Trim();
            _kratos = string.IsNullOrWhiteSpace(kratosApplication) ? "kratos" : kratosApplication.Trim();
            _env = env;
        }

        /// <summary>The temp folder for the options file of a juju that is not the snap (null: the user's temp folder). For tests.</summary>
        internal string TempDirectory { get; set; }

        /// <summary>Pause between status polls of -Wait.</summary>
        internal TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(3);

        public string Model => _model;
        public string KratosApplication => _kratos;
        public string TargetType => "Juju";

        public string Description => _model != null
            ? $"Juju model '{_model}' (kratos application '{_kratos}')"
            : $"the current Juju model (kratos application '{_kratos}')";

        public void Stamp(KratosIdp idp)
        {
            idp.TargetType = TargetType;
            idp.Model = _model ?? _resolvedModel;
            idp.KratosApplication = _kratos;
            idp.ConfigPath = null;
            idp.ConfigRoot = null;
        }

        private T Stamped<T>(T o)
        {
            switch (o)
            {
                case KratosIdp i: Stamp(i); break;
                case KratosRedirectUri r: r.TargetType = TargetType; r.Model = _model ?? _resolvedModel; r.KratosApplication = _kratos; break;
                case KratosPublicUrl u: u.TargetType = TargetType; u.Model = _model ?? _resolvedModel; u.KratosApplication = _kratos; break;
            }
            return o;
        }

        public bool SupportsProvider(ProviderKind kind, out string reason)
        {
            reason = ProviderCatalog.CharmRefusal(kind);
            return kind.CharmSupported;
        }

        public IReadOnlyCollection<string> UnsupportedParameters => Unsupported;

        // ------------------------------------------------------------------ juju access

        private JujuCli Cli() => JujuCli.Locate(_model, _env);

        private static int Timeout(OperationOptions o) => o.TimeoutSec > 0 ? o.TimeoutSec : 300;

        /// <summary>A juju command that failed or was stopped after -TimeoutSec.</summary>
        private static bool IsJujuFault(ExternalIdpException e)
            => e.ErrorId == ErrorIds.JujuCommandFailed || e.ErrorId == ErrorIds.JujuTimeout;

        /// <summary>The same error, saying what the failed step left behind.</summary>
        private static ExternalIdpException WithState(ExternalIdpException e, string state)
            => new ExternalIdpException(e.ErrorId, e.Kind, e.Message.TrimEnd() + " " + state, e.TargetObject, e);

        /// <summary>
        /// Runs a juju command that changes the model (input: its standard input): a failure says what it left
        /// (onFailure); a timeout, after which juju may or may not have made the change, says what to do (onTimeout).
        /// </summary>
        private static void Change(JujuCli cli, OperationOptions o, ICoreHost host, IEnumerable<string> secrets, string input, string onTimeout, string onFailure, string command, params string[] args)
        {
            JujuResult r;
            try { r = cli.Run(host, Timeout(o), secrets, true, input, command, args); }
            catch (ExternalIdpException e) when (onTimeout != null && e.ErrorId == ErrorIds.JujuTimeout) { throw WithState(e, onTimeout); }
            if (r.ExitCode != 0) throw cli.Failed(r, onFailure);
        }

        /// <summary>Runs a step that comes before any change: a failure says that nothing was changed.</summary>
        private static T BeforeChange<T>(Func<T> step)
        {
            try { return step(); }
            catch (ExternalIdpException e) when (IsJujuFault(e)) { throw WithState(e, "Nothing was changed."); }
        }

        private ModelStatus ReadStatus(JujuCli cli, OperationOptions o, ICoreHost host)
        {
            var r = cli.RunChecked(host, Timeout(o), null, "status", "--format=json");
            var s = JujuParsers.Status(r.Stdout, r.Display);
            if (_model == null && s.ModelName != null)
                _resolvedModel = s.Controller != null ? s.Controller + ":" + s.ModelName : s.ModelName;
            return s;
        }

        private Bundle ReadBundle(JujuCli cli, OperationOptions o, ICoreHost host)
        {
            var r = cli.RunChecked(host, Timeout(o), null, "export-bundle");
            return JujuParsers.Bundle(r.Stdout, r.Display);
        }

        private ExternalIdpException KratosMissing(IEnumerable<string> apps)
            => new ExternalIdpException(ErrorIds.JujuKratosNotFound, ErrorKind.ObjectNotFound,
                $"The kratos application '{_kratos}' is not in {Description}. Applications there: {string.Join(", ", apps.DefaultIfEmpty("(none)"))}. " +
                "Pass -KratosApplication with the name of the kratos application, or -Model with the model that holds it.", _kratos);

        private void RequireKratos(Bundle b)
        {
            if (!b.Apps.ContainsKey(_kratos)) throw KratosMissing(b.Apps.Keys);
        }

        private ExternalIdpException NotFound(string name, IEnumerable<string> integrators)
            => new ExternalIdpException(ErrorIds.IdpNotFound, ErrorKind.ObjectNotFound,
                $"No IdP named '{name}' in {Description}: there is no {IntegratorCharm} application of that name. " +
                $"IdPs there: {string.Join(", ", integrators.DefaultIfEmpty("(none)"))}. Get-KratosIdp lists them.", name);

        private static void RequireName(string name)
        {
            if (string.IsNullOrWhiteSpace(name))
                throw new ExternalIdpException(ErrorIds.IdpNotFound, ErrorKind.InvalidArgument, "No IdP name was given: pass -Name with the integrator application's name (Get-KratosIdp lists them).");
        }

        private BundleApp RequireIntegrator(Bundle b, string name)
        {
            RequireName(name);
            if (b.Apps.TryGetValue(name, out var app) && app.Charm == IntegratorCharm) return app;
            if (app != null)
                throw new ExternalIdpException(ErrorIds.IdpNotFound, ErrorKind.InvalidArgument,
                    $"'{name}' in {Description} is not an IdP: it is an application of charm '{app.Charm}', not {IntegratorCharm}. Give the name of an integrator application (Get-KratosIdp lists them).", name);
            throw NotFound(name, b.Apps.Values.Where(a => a.Charm == IntegratorCharm).Select(a => a.Name));
        }

        private bool IsRelated(Bundle b, string app) => b.Related(app, Endpoint, _kratos, Endpoint);

        // ------------------------------------------------------------------ conversions

        private static string AutoId(string provider, string clientId, string issuer, string tenant)
        {
            if (ProviderCatalog.TryGetExact(provider, out var kind))
                return ProviderIds.Generate(kind, clientId, issuer, tenant);
            // Providers the charm accepts but Kratos doesn't (twitch, yander): same formula, client id seed.
            return ProviderIds.Generate(provider, clientId);
        }

        /// <summary>An option's value; null when unset or empty (the charm treats both alike).</summary>
        private static string OptionValue(IDictionary<string, string> options, string key)
            => options.TryGetValue(key, out var v) && !string.IsNullOrEmpty(v) ? v : null;

        /// <summary>The charm's reading of its enabled option: anything but "false" is enabled.</summary>
        private static bool IsEnabled(string enabledOption) => !string.Equals(enabledOption, "false", StringComparison.OrdinalIgnoreCase);

        /// <summary>A unit or application status that needs someone to act (blocked or error).</summary>
        private static bool IsBlocked(string status)
            => string.Equals(status, "blocked", StringComparison.OrdinalIgnoreCase) || string.Equals(status, "error", StringComparison.OrdinalIgnoreCase);

        private static string EffectiveId(IDictionary<string, string> options)
        {
            string Get(string k) => OptionValue(options, k);
            return Get("provider_id") ?? AutoId(Get("provider") ?? "generic", Get("client_id"), Get("issuer_url"), Get("microsoft_tenant_id"));
        }

        private static string[] SplitScope(string scope)
            => string.IsNullOrWhiteSpace(scope) ? new string[0] : scope.Split(new[] { ' ', '\t', '\n' }, StringSplitOptions.RemoveEmptyEntries);

        /// <summary>The output object for an integrator's options (no secret kept).</summary>
        private KratosIdp ToIdp(string name, IDictionary<string, string> options, bool? related)
        {
            string Get(string k) => OptionValue(options, k);
            var provider = Get("provider") ?? "generic";
            var mapper = Get("jsonnet_mapper");
            var idp = new KratosIdp
            {
                Name = name,
                Provider = provider,
                ProviderId = EffectiveId(options),
                ClientId = Get("client_id"),
                IssuerUrl = Get("issuer_url"),
                TenantId = Get("microsoft_tenant_id"),
                AppleTeamId = Get("apple_team_id"),
                ApplePrivateKeyId = Get("apple_private_key_id"),
                Label = Get("label"),
                Scope = SplitScope(Get("scope")),
                MapperUrl = mapper != null ? DefaultMapper.ToMapperUrl(mapper) : null,
                Enabled = IsEnabled(Get("enabled")),
                HasClientSecret = Get("client_secret") != null,
                HasApplePrivateKey = Get("apple_private_key") != null,
                Related = related,
            };
            var problems = new List<string>();
            if (!ProviderCatalog.TryGetExact(provider, out _))
                problems.Add($"provider '{provider}' is accepted by the charm but is not a Kratos provider kind, so Kratos rejects it");
            foreach (var kv in options)
            {
                if (!ProviderOptions.Contains(kv.Key) || NotRenderedPlain.Contains(kv.Key)) continue;
                var misread = UnsafeReason(kv.Value, showValue: !SecretOptions.Contains(kv.Key));
                if (misread != null)
                    problems.Add($"option '{kv.Key}' would be read as {misread}: the kratos charm writes it unquoted into Kratos's YAML config, where Kratos expects text");
            }
            idp.Problems = problems.ToArray();
            return Stamped(idp);
        }

        /// <summary>Settings → integrator options (jsonnet source, space-separated scope, secrets as SecretValue).</summary>
        private static List<KeyValuePair<string, object>> ToOptions(ProviderKind kind, IdpSettings s, string jsonnet)
        {
            var o = new List<KeyValuePair<string, object>> { new KeyValuePair<string, object>("provider", kind.Name) };
            foreach (var kv in IdpRules.GivenFields(s))
            {
                if (!OptionOf.TryGetValue(kv.Key, out var option)) continue; // refused earlier: the charm has no option for it
                object v = kv.Key == Fields.Scope && kv.Value is string[] scope ? string.Join(" ", scope)
                    : kv.Key == Fields.MapperUrl ? jsonnet : kv.Value;
                if (v == null || (v is string str && str.Length == 0) || (v is SecretValue sv && sv.IsEmpty)) continue;
                o.Add(new KeyValuePair<string, object>(option, v));
            }
            return o;
        }

        private static string Plain(object v) => v is SecretValue sv ? sv.Reveal() : v as string;

        private static IEnumerable<string> SecretsOf(IEnumerable<KeyValuePair<string, object>> options)
            => options.Where(kv => kv.Value is SecretValue).Select(kv => ((SecretValue)kv.Value).Reveal()).ToList();

        // ------------------------------------------------------------------ validation

        private void RefuseUnsupported(IdpSettings s)
        {
            var given = s.GivenParameters().Where(Unsupported.Contains).Select(p => "-" + p).ToList();
            if (given.Count > 0)
                throw new ExternalIdpException(ErrorIds.ParameterNotSupported, ErrorKind.InvalidArgument,
                    $"{string.Join(", ", given)} can't be set on Juju: the {IntegratorCharm} charm has no option for {(given.Count == 1 ? "it" : "them")} (it has no subject_source, claims_source or pkce). " +
                    "Leave the parameter out, or manage this IdP in a Kratos config file (-ConfigPath).");
        }

        private static void RequireCharmKind(ProviderKind kind)
        {
            if (!kind.CharmSupported)
                throw new ExternalIdpException(ErrorIds.ProviderNotSupported, ErrorKind.InvalidArgument,
                    $"Provider '{kind.Name}' can't be used on Juju: {ProviderCatalog.CharmRefusal(kind)}.", kind.Name);
        }

        /// <summary>The jsonnet source the charm takes: -JsonnetMapper, or a base64:// -MapperUrl decoded.</summary>
        private static string MapperSource(IdpSettings s)
        {
            if (s.JsonnetMapper != null) return s.JsonnetMapper.Replace("\r\n", "\n");
            if (string.IsNullOrEmpty(s.MapperUrl)) return s.MapperUrl; // null: not given, "": remove (Set)
            var src = DefaultMapper.TryDecode(s.MapperUrl);
            if (src != null) return src.Replace("\r\n", "\n");
            throw new ExternalIdpException(ErrorIds.ParameterNotSupported, ErrorKind.InvalidArgument,
                $"-MapperUrl '{IdpRules.Printable(s.MapperUrl)}' can't be used on Juju: the {IntegratorCharm} charm takes the jsonnet source itself (its jsonnet_mapper option), not a file:// or https:// URL that Kratos would read. " +
                "Pass the mapper with -JsonnetMapper (the jsonnet source or the path of a .jsonnet file), or a base64:// -MapperUrl.");
        }

        /// <summary>
        /// What Kratos would read instead of v when the kratos charm writes it unquoted into Kratos's YAML config
        /// (the integer 1234567890, null, the boolean true, a float, a parse error ...), or null when it reads v
        /// itself. The config-file writer's rule for plain scalars, in block context.
        /// </summary>
        internal static string UnsafeReason(string v, bool showValue = true) => YamlPlainScalars.Misreading(v, inFlow: false, showValue);

        /// <summary>Refuses values that Kratos would not read back as the same string (never echoing a secret).</summary>
        private static void CheckUnsafe(IEnumerable<KeyValuePair<string, object>> options)
        {
            var problems = new List<string>();
            foreach (var kv in options)
            {
                if (NotRenderedPlain.Contains(kv.Key)) continue;
                var param = ParameterOfOption.TryGetValue(kv.Key, out var p) ? p : kv.Key;
                var value = Plain(kv.Value);
                var secret = kv.Value is SecretValue || SecretOptions.Contains(kv.Key);
                var misread = UnsafeReason(value, showValue: !secret);
                if (misread == null) continue;
                if (kv.Key == "apple_private_key" && value.IndexOf('\n') >= 0)
                    problems.Add($"-ApplePrivateKey is a multi-line PEM key (value not shown), which would be read as {misread}.");
                else if (secret)
                    problems.Add($"{param} (value not shown) would be read as {misread}, not as text.");
                else
                    problems.Add($"{param} '{IdpRules.Printable(value)}' would be read as {misread}, not as text.");
            }
            if (problems.Count > 0)
                throw new ExternalIdpException(ErrorIds.JujuUnsafeValue, ErrorKind.InvalidArgument,
                    string.Join(" ", problems) + " The kratos charm writes integrator values into Kratos's YAML config without quotes, and Kratos reads that YAML and expects text: " +
                    "it refuses its whole config when it reads anything else (kratos goes blocked: 'Failed to start the service'). Nothing was changed. " +
                    "Use a value that YAML reads as text. A value you can't choose (a numeric app id, a secret issued to you) can't go through the kratos charm today: " +
                    "manage that IdP in a Kratos config file (-ConfigPath), which ExternalIdp writes with the quoting it needs.");
        }

        /// <summary>A valid Juju application name made from the provider id (or kind): lowercase, letters/digits/hyphens, ending in -idp.</summary>
        internal static string DeriveName(ProviderKind kind, string providerId)
        {
            var raw = (providerId ?? kind.Name).ToLowerInvariant();
            var parts = Regex.Split(raw, "[^a-z0-9]+").Where(p => p.Length > 0).ToList();
            // Segments after a hyphen must hold a letter: glue digit-only segments to the previous one.
            var merged = new List<string>();
            foreach (var p in parts)
            {
                if (p.All(char.IsDigit) && merged.Count > 0) merged[merged.Count - 1] += p;
                else merged.Add(p);
            }
            var name = string.Join("-", merged).TrimStart('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '-');
            if (name.Length == 0) name = kind.Name.Replace('_', '-');
            if (name.Length > 40) name = name.Substring(0, 40).TrimEnd('-');
            if (!name.EndsWith("-idp", StringComparison.Ordinal) && name != "idp") name += "-idp";
            if (!AppNamePattern.IsMatch(name)) name = Regex.Replace(kind.Name, "[^a-z0-9]+", "") + "-idp";
            return name;
        }

        private static void ValidateAppName(string name)
        {
            if (!AppNamePattern.IsMatch(name))
                throw new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument,
                    $"'{IdpRules.Printable(name)}' is not a valid Juju application name: use lowercase letters, digits and hyphens, start with a letter, and end every hyphen-separated part with a letter somewhere in it (e.g. github-idp, corp-entra-idp, google-idp2).", name);
        }

        private static bool SameValue(string a, string b)
            => string.Equals((a ?? "").Replace("\r\n", "\n").Trim(), (b ?? "").Replace("\r\n", "\n").Trim(), StringComparison.Ordinal);

        /// <summary>Whether an existing integrator has exactly these provider settings (a half-done Add of ours).</summary>
        private static bool SameSettings(BundleApp app, List<KeyValuePair<string, object>> options)
        {
            if (app.Charm != IntegratorCharm) return false;
            var wanted = options.ToDictionary(kv => kv.Key, kv => Plain(kv.Value), StringComparer.Ordinal);
            foreach (var key in ProviderOptions)
            {
                wanted.TryGetValue(key, out var w);
                var have = app.Option(key);
                if (key == "provider") { w = w ?? "generic"; have = have ?? "generic"; }
                if (!SameValue(w, have)) return false;
            }
            return true;
        }

        private void RequireUniqueId(Bundle b, string providerId, string except)
        {
            foreach (var other in b.Apps.Values)
            {
                if (other.Charm != IntegratorCharm || other.Name == except || !IsRelated(b, other.Name)) continue;
                if (string.Equals(EffectiveId(other.Options), providerId, StringComparison.Ordinal))
                    throw new ExternalIdpException(ErrorIds.IdpAlreadyExists, ErrorKind.ResourceExists,
                        $"Provider id '{providerId}' is already used by '{other.Name}', which is related to {_kratos}: Kratos would use only the first of two providers with one id. " +
                        "Give a different -ProviderId, or change or remove the existing IdP first.", providerId);
            }
        }

        // ------------------------------------------------------------------ operations

        public IReadOnlyList<KratosIdp> GetIdps(ICoreHost host, OperationOptions options = null)
        {
            host = host ?? SilentHost.Instance;
            var o = options ?? new OperationOptions();
            var cli = Cli();
            var status = ReadStatus(cli, o, host);
            if (!status.Apps.TryGetValue(_kratos, out var kratos)) throw KratosMissing(status.Apps.Keys);
            if (IsBlocked(kratos.Status))
                host.WriteWarning($"The kratos application '{_kratos}' is {kratos.Status}: '{kratos.Message}'. An IdP whose provider Kratos rejects (see Problems) or a broken setting can cause this; 'juju debug-log --include {_kratos}' says more.");
            var integrators = status.Apps.Values.Where(a => a.Charm == IntegratorCharm).OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
            if (integrators.Count == 0) return new KratosIdp[0];
            var bundle = ReadBundle(cli, o, host);
            var list = new List<KratosIdp>();
            foreach (var a in integrators)
            {
                var charmOptions = bundle.Apps.TryGetValue(a.Name, out var ba) ? ba.Options : new Dictionary<string, string>();
                var idp = ToIdp(a.Name, charmOptions, a.RelatedTo(Endpoint, _kratos));
                idp.Status = a.Status;
                idp.StatusMessage = a.Message;
                list.Add(idp);
            }
            return list;
        }

        public KratosIdp Add(string name, IdpSettings settings, OperationOptions options, ICoreHost host)
        {
            host = host ?? SilentHost.Instance;
            options = options ?? new OperationOptions();
            if (settings == null) throw new ArgumentNullException(nameof(settings));

            // Everything that needs no juju first.
            var kind = ProviderCatalog.Resolve(settings.Provider);
            RequireCharmKind(kind);
            RefuseUnsupported(settings);
            IdpRules.ValidateValues(settings);
            var jsonnet = MapperSource(settings);
            IdpRules.RequireComplete(kind, IdpRules.BuildEntry(kind, settings.ProviderId, settings, applyDefaults: false), name);
            var charmOptions = ToOptions(kind, settings, jsonnet);
            CheckUnsafe(charmOptions);
            if (name != null) ValidateAppName(name);
            var providerId = !string.IsNullOrEmpty(settings.ProviderId) ? settings.ProviderId : ProviderIds.Generate(kind, settings.ClientId, settings.IssuerUrl, settings.TenantId);
            var secrets = SecretsOf(charmOptions);

            var cli = Cli();
            var bundle = BeforeChange(() => ReadBundle(cli, options, host));
            RequireKratos(bundle);

            // The application: the given name, or one derived from the provider id; an earlier Add of
            // ours that stopped after deploy is finished instead of refused.
            string app = null;
            bool resume = false;
            if (name != null)
            {
                app = name;
                if (bundle.Apps.TryGetValue(name, out var existing))
                {
                    if (SameSettings(existing, charmOptions) && !IsRelated(bundle, name)) resume = true;
                    else throw AlreadyExists(name, existing, bundle);
                }
            }
            else
            {
                var baseName = DeriveName(kind, settings.ProviderId);
                for (int i = 1; app == null; i++)
                {
                    var candidate = i == 1 ? baseName : baseName + i;
                    if (!bundle.Apps.TryGetValue(candidate, out var existing)) { app = candidate; break; }
                    if (SameSettings(existing, charmOptions))
                    {
                        if (IsRelated(bundle, candidate)) throw AlreadyExists(candidate, existing, bundle);
                        app = candidate;
                        resume = true;
                    }
                }
            }
            RequireUniqueId(bundle, providerId, app);

            var target = $"IdP '{app}' ({kind.Name}, provider id '{providerId}') in {Description}";
            if (!host.ShouldProcess(target, resume
                    ? $"Integrate the existing {IntegratorCharm} application '{app}' with '{_kratos}'"
                    : $"Deploy {IntegratorCharm} as '{app}' and integrate it with '{_kratos}'"))
                return null;

            if (resume)
                host.WriteVerbose($"'{app}' is already deployed with these settings but not related to {_kratos}: integrating it.");
            else
            {
                var args = new List<string> { IntegratorCharm, app };
                if (!string.IsNullOrEmpty(options.Channel)) { args.Add("--channel"); args.Add(options.Channel); }
                // deploy --config takes a file only: one in a folder this juju can read (the snap's /tmp is private).
                using (var file = OptionsFile.Create(cli.FileFolder(TempDirectory), app, charmOptions))
                {
                    args.Add("--config");
                    args.Add(file.Path);
                    Change(cli, options, host, secrets, null,
                        $"So '{app}' may or may not have been deployed (it is not related to {_kratos} either way). Run the same Add-KratosIdp command again: it deploys '{app}', or finishes the one deployed with these settings.",
                        "Nothing was deployed; fix the cause and run Add-KratosIdp again.", "deploy", args.ToArray());
                }
            }

            try
            {
                Integrate(cli, app, options, host, secrets);
            }
            catch (ExternalIdpException e) when (e.ErrorId == ErrorIds.JujuTimeout && e.Data.Contains(RelationUnknown))
            {
                throw new ExternalIdpException(ErrorIds.JujuPartialState, ErrorKind.InvalidOperation,
                    $"The {IntegratorCharm} application '{app}' {(resume ? "exists" : "was deployed")} with its settings, but relating it to '{_kratos}' was stopped: {e.Message} " +
                    $"So '{app}' exists and may or may not be related to {_kratos} yet. Run the same Add-KratosIdp command again to finish (it relates '{app}'; if it says the IdP already exists, the relation was made and nothing is left to do), " +
                    $"or remove it with Remove-KratosIdp -Name {app} -RemoveApplication.", app, e);
            }
            catch (ExternalIdpException e) when (e.ErrorId == ErrorIds.JujuCommandFailed || e.ErrorId == ErrorIds.JujuTimeout)
            {
                throw new ExternalIdpException(ErrorIds.JujuPartialState, ErrorKind.InvalidOperation,
                    $"The {IntegratorCharm} application '{app}' {(resume ? "exists" : "was deployed")} with its settings, but relating it to '{_kratos}' failed: {e.Message} " +
                    $"So '{app}' exists and is not related to {_kratos}: Kratos does not know this IdP yet. Run the same Add-KratosIdp command again to finish (it integrates the existing application), " +
                    $"or remove it with Remove-KratosIdp -Name {app} -RemoveApplication.", app, e);
            }

            var idp = ToIdp(app, charmOptions.ToDictionary(kv => kv.Key, kv => kv.Value is SecretValue ? "(set)" : (string)kv.Value, StringComparer.Ordinal), true);
            if (options.Wait)
            {
                try { WaitFor(cli, idp, true, options, host, justIntegrated: true); }
                catch (ExternalIdpException e) when (IsJujuFault(e) && !e.Data.Contains(StateGiven))
                {
                    throw WithState(e, $"The IdP itself was added: '{app}' is deployed and related to {_kratos}; only waiting for it to be ready failed. Get-KratosIdp -Name {app} shows its state (don't run Add-KratosIdp again).");
                }
            }
            return idp;
        }

        private ExternalIdpException AlreadyExists(string name, BundleApp existing, Bundle bundle)
        {
            var what = existing.Charm == IntegratorCharm
                ? $"an {IntegratorCharm} application with other settings{(IsRelated(bundle, name) ? $", related to {_kratos}" : "")}"
                : $"an application of charm '{existing.Charm}'";
            return new ExternalIdpException(ErrorIds.IdpAlreadyExists, ErrorKind.ResourceExists,
                $"'{name}' already exists in {Description}: it is {what}. Choose another -Name, change the existing IdP with Set-KratosIdpProvider, or remove it first (Remove-KratosIdp -RemoveApplication).", name);
        }

        private const string RelationUnknown = "ExternalIdp.RelationUnknown";
        /// <summary>Marks an error whose message already says what state the change left.</summary>
        private const string StateGiven = "ExternalIdp.StateGiven";

        private void Integrate(JujuCli cli, string app, OperationOptions options, ICoreHost host, IEnumerable<string> secrets)
        {
            var version = cli.Version(host, Timeout(options));
            var verb = version.IsLegacy ? "add-relation" : "integrate";
            JujuResult r;
            try { r = cli.Run(host, Timeout(options), secrets, true, null, verb, app + ":" + Endpoint, _kratos + ":" + Endpoint); }
            catch (ExternalIdpException e) when (e.ErrorId == ErrorIds.JujuTimeout)
            {
                e.Data[RelationUnknown] = true; // stopped: juju may have made the relation
                throw;
            }
            if (r.ExitCode == 0) return;
            var text = JujuCli.ErrorText(r);
            if (text.IndexOf("already exists", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                host.WriteVerbose($"'{app}' is already related to {_kratos}.");
                return;
            }
            throw cli.Failed(r, null);
        }

        public KratosIdp Set(string name, IdpSettings changes, OperationOptions options, ICoreHost host)
        {
            host = host ?? SilentHost.Instance;
            options = options ?? new OperationOptions();
            if (changes == null) throw new ArgumentNullException(nameof(changes));
            RefuseUnsupported(changes);
            IdpRules.ValidateValues(changes, allowEmptyProviderId: true);
            ProviderKind newKind = null;
            if (changes.Provider != null)
            {
                newKind = ProviderCatalog.Resolve(changes.Provider);
                RequireCharmKind(newKind);
            }
            var jsonnet = MapperSource(changes);

            var cli = Cli();
            var bundle = BeforeChange(() => ReadBundle(cli, options, host));
            RequireKratos(bundle);
            var app = RequireIntegrator(bundle, name);
            var current = app.Options;
            var currentProvider = app.Option("provider") ?? "generic";
            if (!ProviderCatalog.TryGetExact(currentProvider, out var oldKind))
            {
                if (newKind == null)
                    throw new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument,
                        $"'{name}' is configured with provider '{currentProvider}', which Kratos does not accept: give -Provider with one of {ProviderCatalog.CharmKindList} in the same command.", name);
                oldKind = newKind;
            }
            newKind = newKind ?? oldKind;

            // Kratos-key view of the current options, so the shared rules can judge the result.
            var existing = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var kv in OptionOf)
            {
                var v = app.Option(kv.Value);
                if (string.IsNullOrEmpty(v)) continue;
                if (kv.Key == Fields.Scope) existing[kv.Key] = SplitScope(v);
                else if (kv.Key == Fields.MapperUrl) existing[kv.Key] = DefaultMapper.ToMapperUrl(v);
                else existing[kv.Key] = v;
            }
            existing[Fields.Provider] = oldKind.Name;
            var delta = IdpRules.Changes(existing, oldKind, newKind, changes, out var dropped);
            var result = IdpRules.Apply(existing, delta);
            IdpRules.RequireComplete(newKind, result, name);

            // Options to set (only those that really change) and to reset.
            var set = new List<KeyValuePair<string, object>>();
            var reset = new List<string>();
            foreach (var kv in delta)
            {
                var opt = OptionOf[kv.Key];
                var have = app.Option(opt);
                if (opt == "provider" && string.IsNullOrEmpty(have)) have = "generic";
                if (kv.Value == null)
                {
                    if (!string.IsNullOrEmpty(have)) reset.Add(opt);
                    continue;
                }
                object value = kv.Value;
                if (kv.Key == Fields.Scope) value = string.Join(" ", (string[])kv.Value);
                if (kv.Key == Fields.MapperUrl) value = jsonnet ?? DefaultMapper.TryDecode((string)kv.Value);
                if (SameValue(Plain(value), have)) continue;
                set.Add(new KeyValuePair<string, object>(opt, value));
            }
            CheckUnsafe(set);

            var after = new Dictionary<string, string>(current, StringComparer.Ordinal);
            foreach (var k in reset) after.Remove(k);
            foreach (var kv in set) after[kv.Key] = Plain(kv.Value);
            var oldId = EffectiveId(current);
            var newId = EffectiveId(after);
            if (newId != oldId) RequireUniqueId(bundle, newId, name);

            var related = IsRelated(bundle, name);
            if (set.Count == 0 && reset.Count == 0)
            {
                host.WriteVerbose($"'{name}' already has these settings: nothing to change.");
                return ToIdp(name, after, related);
            }

            var what = set.Select(kv => ParameterOfOption[kv.Key]).Concat(reset.Select(k => ParameterOfOption[k] + " (reset)")).Distinct();
            if (!host.ShouldProcess($"IdP '{name}' in {Description}", "Set " + string.Join(", ", what)))
                return null;
            if (dropped.Count > 0)
                host.WriteVerbose($"Provider '{newKind.Name}' does not take {string.Join(", ", dropped.Select(d => "-" + Fields.ParameterOf[d]))}: resetting {(dropped.Count == 1 ? "it" : "them")}.");

            // The options go through standard input (juju config --file -): no file, and nothing on the command line.
            var secrets = SecretsOf(set);
            var args = new List<string> { name };
            string input = null;
            if (set.Count > 0)
            {
                input = OptionsFile.Text(name, set);
                args.Add("--file");
                args.Add("-");
            }
            if (reset.Count > 0) { args.Add("--reset"); args.Add(string.Join(",", reset)); }
            Change(cli, options, host, secrets, input,
                $"So the settings of '{name}' may or may not have changed (juju applies them all or none). Run the same Set-KratosIdpProvider command again: it sends only what still differs.",
                "Nothing was changed.", "config", args.ToArray());
            if (newId != oldId)
                host.WriteWarning($"The provider id of '{name}' changed from '{oldId}' to '{newId}', so its redirect URI changed: register the new one at the identity provider (Get-KratosRedirectUri -Name {name}). Users who signed in through the old id lose their link to this IdP.");

            var idp = ToIdp(name, after, related);
            if (options.Wait)
            {
                try { WaitFor(cli, idp, idp.Enabled, options, host, justIntegrated: false); }
                catch (ExternalIdpException e) when (IsJujuFault(e) && !e.Data.Contains(StateGiven))
                {
                    throw WithState(e, $"The settings of '{name}' were changed; only waiting for it to be ready failed. Get-KratosIdp -Name {name} shows its state.");
                }
            }
            return idp;
        }

        public KratosIdp SetEnabled(string name, bool enabled, OperationOptions options, ICoreHost host)
        {
            host = host ?? SilentHost.Instance;
            options = options ?? new OperationOptions();
            var cli = Cli();
            var bundle = BeforeChange(() => ReadBundle(cli, options, host));
            RequireKratos(bundle);
            var app = RequireIntegrator(bundle, name);
            var after = new Dictionary<string, string>(app.Options, StringComparer.Ordinal);
            var isEnabled = IsEnabled(app.Option("enabled"));
            var related = IsRelated(bundle, name);
            var state = enabled ? "enabled" : "disabled";
            var command = enabled ? "Enable-KratosIdp" : "Disable-KratosIdp";
            var changed = isEnabled != enabled;
            if (!changed)
                host.WriteVerbose($"'{name}' is already {state}.");
            else
            {
                if (!host.ShouldProcess($"IdP '{name}' in {Description}", enabled ? "Enable" : "Disable (Kratos stops offering it; the application and its settings stay)"))
                    return null;
                Change(cli, options, host, null, null,
                    $"So '{name}' may or may not be {state} now. Run the same {command} command again: it sets the option if it still differs.",
                    "Nothing was changed.", "config", name, "enabled=" + (enabled ? "true" : "false"));
                after["enabled"] = enabled ? "true" : "false";
            }
            var idp = ToIdp(name, after, related);
            // -Wait also waits for an IdP that already had the option: running the command again after a failed wait finishes it.
            if (options.Wait)
            {
                try { WaitFor(cli, idp, enabled, options, host, justIntegrated: false); }
                catch (ExternalIdpException e) when (IsJujuFault(e) && !e.Data.Contains(StateGiven))
                {
                    throw WithState(e, $"{(changed ? $"The option was set: '{name}' is {state} (enabled={(enabled ? "true" : "false")})" : $"'{name}' was already {state}")}; only waiting for it to be {(enabled ? "ready" : "disabled")} failed. " +
                        $"Run the same {command} -Wait command again to wait again (it changes nothing more), or see its state with Get-KratosIdp -Name {name}.");
                }
            }
            return idp;
        }

        public bool Remove(string name, OperationOptions options, ICoreHost host)
        {
            host = host ?? SilentHost.Instance;
            options = options ?? new OperationOptions();
            var cli = Cli();
            var status = BeforeChange(() => ReadStatus(cli, options, host));
            if (string.IsNullOrWhiteSpace(name) || !status.Apps.TryGetValue(name, out var app))
                throw NotFound(name, status.Apps.Values.Where(a => a.Charm == IntegratorCharm).Select(a => a.Name));
            if (app.Charm != IntegratorCharm || name == _kratos)
                throw new ExternalIdpException(ErrorIds.IdpNotFound, ErrorKind.InvalidArgument,
                    $"'{name}' in {Description} is not an IdP: it is an application of charm '{app.Charm}', and Remove-KratosIdp only removes {IntegratorCharm} applications. Nothing was removed.", name);
            var related = app.RelatedTo(Endpoint, _kratos);
            if (options.RemoveApplication)
            {
                if (!host.ShouldProcess($"IdP '{name}' in {Description}", $"Remove the {IntegratorCharm} application '{name}' (and its relation to '{_kratos}')"))
                    return false;
                var version = BeforeChange(() => cli.Version(host, Timeout(options)));
                Change(cli, options, host, null, null,
                    $"So '{name}' may or may not be on its way out. Run the same Remove-KratosIdp command again: it removes '{name}' if it is still there (if it says there is no such IdP, it is gone).",
                    $"'{name}' was not removed{(related ? $" and is still related to {_kratos}" : "")}.",
                    "remove-application", version.IsLegacy ? new[] { name } : new[] { name, "--no-prompt" });
                return true;
            }
            if (!related)
            {
                host.WriteWarning($"'{name}' is not related to '{_kratos}', so Kratos does not use it: nothing to unregister. Pass -RemoveApplication to remove the application itself.");
                return false;
            }
            if (!host.ShouldProcess($"IdP '{name}' in {Description}", $"Remove the relation between '{name}' and '{_kratos}' (the application stays)"))
                return false;
            JujuResult rr;
            try { rr = cli.Run(host, Timeout(options), null, true, null, "remove-relation", name + ":" + Endpoint, _kratos + ":" + Endpoint); }
            catch (ExternalIdpException e) when (e.ErrorId == ErrorIds.JujuTimeout)
            {
                throw WithState(e, $"So the relation between '{name}' and '{_kratos}' may or may not have been removed (the application stays either way). Run the same Remove-KratosIdp command again to finish.");
            }
            if (rr.ExitCode != 0)
            {
                var text = JujuCli.ErrorText(rr);
                if (text.IndexOf("not found", StringComparison.OrdinalIgnoreCase) >= 0 && text.IndexOf("relation", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    host.WriteVerbose($"The relation between '{name}' and '{_kratos}' was already gone.");
                    return false;
                }
                throw cli.Failed(rr, $"'{name}' is still related to {_kratos}: nothing was changed.");
            }
            return true;
        }

        // ------------------------------------------------------------------ redirect URI, public URL

        /// <summary>
        /// Runs a charm action on a unit and waits for its result (run-action on juju 2.x, run on 3.x). juju itself
        /// waits -TimeoutSec for the action; it is given as long again (at most 15 s more) to say so before it is stopped.
        /// </summary>
        private static JujuResult RunAction(JujuCli cli, string unit, string action, OperationOptions o, ICoreHost host)
        {
            var verb = cli.Version(host, Timeout(o)).IsLegacy ? "run-action" : "run";
            return cli.Run(host, Timeout(o) + Math.Min(15, Timeout(o)), null, true, null, verb, unit, action, "--wait=" + Timeout(o) + "s", "--format", "json");
        }

        /// <summary>Runs get-redirect-uri on &lt;app&gt;/leader: the URI, or null and why not.</summary>
        private string RedirectAction(JujuCli cli, string app, OperationOptions options, ICoreHost host, out string reason)
        {
            reason = null;
            var r = RunAction(cli, app + "/leader", "get-redirect-uri", options, host);
            var text = JujuCli.ErrorText(r);
            if (r.ExitCode != 0 && (JujuCli.IsModelNotFound(text) || JujuCli.IsConnection(text))) throw cli.Failed(r, null);
            ActionResult result = null;
            try { result = JujuParsers.Action(r.Stdout, r.Display); }
            catch (ExternalIdpException) when (r.ExitCode != 0) { }
            if (result == null)
            {
                reason = $"the get-redirect-uri action did not run: {text}";
                return null;
            }
            var uri = result.Results["redirect-uri"]?.ToString();
            if (!string.Equals(result.Status, "completed", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(uri))
            {
                reason = $"the get-redirect-uri action of {result.Unit} answered '{result.Message ?? result.Status ?? "no redirect-uri"}'";
                return null;
            }
            return uri;
        }

        public KratosRedirectUri GetRedirectUri(string name, OperationOptions options, ICoreHost host)
        {
            host = host ?? SilentHost.Instance;
            options = options ?? new OperationOptions();
            RequireName(name);
            var cli = Cli();
            var uri = RedirectAction(cli, name, options, host, out var reason);
            if (uri != null)
            {
                var id = uri.TrimEnd('/');
                id = Uri.UnescapeDataString(id.Substring(id.LastIndexOf('/') + 1));
                return Stamped(new KratosRedirectUri { Name = name, ProviderId = id, RedirectUri = uri, Source = "Action" });
            }

            var bundle = ReadBundle(cli, options, host);
            RequireKratos(bundle);
            var app = RequireIntegrator(bundle, name);
            var related = IsRelated(bundle, name);
            var enabled = IsEnabled(app.Option("enabled"));
            var why = !related ? $" ('{name}' is not related to '{_kratos}')"
                : !enabled ? $" ('{name}' is disabled)"
                : " (kratos may not have registered the provider yet; 'juju status' shows whether the integrator is active)";
            reason = reason + why;
            if (options.ActionOnly)
                throw new ExternalIdpException(ErrorIds.RedirectUriUnavailable, ErrorKind.ResourceUnavailable,
                    $"The redirect URI of '{name}' is not available from the charm: {reason}. " +
                    (!related ? $"Relate it first (Add-KratosIdp finishes a half-done registration), " : "Wait until the integrator is active ('The OIDC provider is ready'), ") +
                    "or leave out -ActionOnly to get the URI computed from Kratos's public URL.", name);
            var providerId = EffectiveId(app.Options);
            string baseUrl = options.PublicUrl;
            if (string.IsNullOrWhiteSpace(baseUrl)) baseUrl = PublicUrl(cli, options, host).PublicUrl;
            return Stamped(new KratosRedirectUri
            {
                Name = name,
                ProviderId = providerId,
                RedirectUri = RedirectUris.Build(baseUrl, providerId),
                Source = "Computed",
                Reason = reason,
            });
        }

        public KratosPublicUrl GetPublicUrl(OperationOptions options, ICoreHost host)
        {
            host = host ?? SilentHost.Instance;
            options = options ?? new OperationOptions();
            if (!string.IsNullOrWhiteSpace(options.PublicUrl))
                return Stamped(new KratosPublicUrl { PublicUrl = options.PublicUrl.Trim().TrimEnd('/'), Source = "parameter" });
            return PublicUrl(Cli(), options, host);
        }

        private KratosPublicUrl PublicUrl(JujuCli cli, OperationOptions options, ICoreHost host)
        {
            var status = ReadStatus(cli, options, host);
            if (!status.Apps.TryGetValue(_kratos, out var kratos)) throw KratosMissing(status.Apps.Keys);
            var unit = kratos.LeaderUnit ?? _kratos + "/0";

            // kratos 2.x: traefik's data on the public-route (traefik-route) relation.
            if (kratos.Relations.TryGetValue("public-route", out var routed) && routed.Count > 0)
            {
                var r = cli.RunChecked(host, Timeout(options), null, "show-unit", unit, "--endpoint", "public-route", "--format", "json");
                foreach (var data in JujuParsers.RelationData(r.Stdout, "public-route", r.Display))
                {
                    var host_ = data["external_host"]?.ToString();
                    if (string.IsNullOrEmpty(host_)) continue;
                    var scheme = data["scheme"]?.ToString();
                    return Stamped(new KratosPublicUrl { PublicUrl = (string.IsNullOrEmpty(scheme) ? "https" : scheme) + "://" + host_, Source = "traefik-route" });
                }
                throw PublicUrlMissing($"traefik ('{string.Join(", ", routed)}') has not published external_host on kratos's public-route relation yet");
            }

            // kratos 1.x: traefik's show-proxied-endpoints lists kratos's ingress URL.
            // Its public ingress, never the admin one (admin-ingress goes to another traefik).
            var ingress = kratos.Relations
                .Where(kv => kv.Value.Count > 0 && kv.Key.IndexOf("ingress", StringComparison.Ordinal) >= 0 && kv.Key.IndexOf("admin", StringComparison.Ordinal) < 0)
                .OrderBy(kv => kv.Key == "public-ingress" ? 0 : 1)
                .Select(kv => kv.Value[0]).FirstOrDefault();
            if (ingress != null && status.Apps.TryGetValue(ingress, out var traefik))
            {
                var r = RunAction(cli, traefik.LeaderUnit ?? ingress + "/0", "show-proxied-endpoints", options, host);
                var result = JujuParsers.Action(r.Stdout, r.Display);
                if (result == null || !string.Equals(result.Status, "completed", StringComparison.OrdinalIgnoreCase))
                {
                    if (r.ExitCode != 0 && result == null) throw cli.Failed(r, null);
                    throw PublicUrlMissing($"traefik's show-proxied-endpoints action did not answer ({result?.Message ?? JujuCli.ErrorText(r)})");
                }
                var raw = result.Results["proxied-endpoints"];
                JObject endpoints = raw is JObject jo ? jo : raw != null ? JujuParsers.ParseObject(raw.ToString(), r.Display) : null;
                var url = (endpoints?[_kratos] as JObject)?["url"]?.ToString();
                if (!string.IsNullOrEmpty(url))
                    return Stamped(new KratosPublicUrl { PublicUrl = url.TrimEnd('/'), Source = "show-proxied-endpoints" });
                throw PublicUrlMissing($"traefik's show-proxied-endpoints does not list '{_kratos}'");
            }
            throw PublicUrlMissing($"'{_kratos}' has no public-route or ingress relation to traefik");
        }

        private ExternalIdpException PublicUrlMissing(string why)
            => new ExternalIdpException(ErrorIds.PublicUrlNotFound, ErrorKind.ObjectNotFound,
                $"Kratos's public URL could not be found in {Description}: {why}. Relate kratos to traefik (juju integrate {_kratos}:public-route traefik-public:traefik-route), or pass -PublicUrl.");

        // ------------------------------------------------------------------ -Wait

        private static bool IsReady(string status, string message, bool enabled)
        {
            if (!string.Equals(status, "active", StringComparison.OrdinalIgnoreCase)) return false;
            var m = (message ?? "").Trim();
            return enabled
                ? m.Equals(ReadyMessage, StringComparison.OrdinalIgnoreCase) || m.Equals(ReadyMessageOld, StringComparison.OrdinalIgnoreCase)
                : m.Equals(DisabledMessage, StringComparison.OrdinalIgnoreCase) || m.Equals(DisabledMessageOld, StringComparison.OrdinalIgnoreCase);
        }

        private static bool IsMissingRelation(string message)
            => message != null && (message.IndexOf("Missing integration", StringComparison.OrdinalIgnoreCase) >= 0
                                   || message.IndexOf("Waiting for relation", StringComparison.OrdinalIgnoreCase) >= 0);

        /// <summary>Polls status until the integrator is ready (or disabled), then reads its redirect URI.</summary>
        private void WaitFor(JujuCli cli, KratosIdp idp, bool enabled, OperationOptions options, ICoreHost host, bool justIntegrated)
        {
            var activity = $"Waiting for IdP '{idp.Name}' to be {(enabled ? "ready" : "disabled")}";
            var limit = TimeSpan.FromSeconds(Timeout(options));
            var watch = System.Diagnostics.Stopwatch.StartNew();
            string status = null, message = null;
            try
            {
                while (true)
                {
                    var s = ReadStatus(cli, options, host);
                    if (!s.Apps.TryGetValue(idp.Name, out var app))
                        throw NotFound(idp.Name, s.Apps.Values.Where(a => a.Charm == IntegratorCharm).Select(a => a.Name));
                    status = app.Status;
                    message = app.Message;
                    idp.Status = status;
                    idp.StatusMessage = message;
                    var percent = (int)Math.Min(99, watch.Elapsed.TotalSeconds * 100 / limit.TotalSeconds);
                    host.WriteProgress(activity, $"{status}: {message}", percent, false);
                    if (IsReady(status, message, enabled)) break;
                    var blocked = IsBlocked(status);
                    if (blocked && !(justIntegrated && IsMissingRelation(message)))
                        throw new ExternalIdpException(ErrorIds.JujuIdpBlocked, ErrorKind.InvalidOperation,
                            $"IdP '{idp.Name}' is {status}: '{message}'. " + BlockedHint(idp.Name, message), idp.Name);
                    if (watch.Elapsed >= limit)
                    {
                        var timeout = new ExternalIdpException(ErrorIds.JujuTimeout, ErrorKind.OperationTimeout,
                            $"IdP '{idp.Name}' was not {(enabled ? "ready" : "disabled")} within {(int)limit.TotalSeconds} s (last status: {status} '{message}'). The change was made; " +
                            $"check 'juju status {idp.Name}' and 'juju debug-log --include {idp.Name}', or wait longer with a larger -TimeoutSec.", idp.Name);
                        timeout.Data[StateGiven] = true;
                        throw timeout;
                    }
                    var wait = PollInterval < limit - watch.Elapsed ? PollInterval : limit - watch.Elapsed;
                    if (wait > TimeSpan.Zero && host.Cancellation.WaitHandle.WaitOne(wait))
                        host.Cancellation.ThrowIfCancellationRequested();
                }
            }
            finally
            {
                host.WriteProgress(activity, "done", 100, true);
            }
            if (enabled)
            {
                var uri = RedirectAction(cli, idp.Name, options, host, out var reason);
                if (uri != null) { idp.RedirectUri = uri; idp.RedirectUriSource = "Action"; }
                else host.WriteWarning($"IdP '{idp.Name}' is ready but its redirect URI could not be read: {reason}. Get-KratosRedirectUri -Name {idp.Name} tries again.");
            }
        }

        private static string BlockedHint(string app, string message)
        {
            if (message != null && message.IndexOf("Invalid", StringComparison.OrdinalIgnoreCase) >= 0)
                return $"The charm refused its settings; 'juju debug-log --include {app}' says why. Fix them with Set-KratosIdpProvider -Name {app}.";
            if (IsMissingRelation(message))
                return $"It is not related to kratos: run Add-KratosIdp again with the same settings, or 'juju integrate {app}:{Endpoint} kratos:{Endpoint}'.";
            return $"Check 'juju status {app}' and 'juju debug-log --include {app}'.";
        }
    }
}
