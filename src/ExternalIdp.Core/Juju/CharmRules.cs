using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace ExternalIdp.Core.Juju
{
    /// <summary>
    /// What the kratos-external-idp-integrator charm accepts and does: its kinds and options (the
    /// field table's charm column), the values the kratos charm can't pass Kratos (it writes them
    /// unquoted into Kratos's YAML), its application names, statuses and provider ids.
    /// </summary>
    internal sealed class CharmRules : TargetRules
    {
        public const string Charm = "kratos-external-idp-integrator";
        public const string Endpoint = "kratos-external-idp";
        public const string EnabledOption = "enabled";

        private static readonly string[] ReadyMessages = { "The OIDC provider is ready", "Provider is ready" };
        private static readonly string[] DisabledMessages = { "The OIDC provider is disabled", "Provider is disabled" };
        private static readonly Regex AppNamePattern = new Regex(@"^[a-z][a-z0-9]*(-[a-z0-9]*[a-z][a-z0-9]*)*$", RegexOptions.CultureInvariant);

        public static readonly CharmRules Default = new CharmRules(FieldTable.Default);

        private readonly string[] _unsupported;

        public CharmRules(FieldTable fields)
        {
            Fields = fields;
            _unsupported = fields.WithParameter.Where(f => f.CharmOption == null).Select(f => f.Parameter).ToArray();
        }

        public FieldTable Fields { get; }

        /// <summary>The rows the charm has an option for, in table order.</summary>
        public IEnumerable<Field> OptionRows => Fields.Rows.Where(f => f.CharmOption != null);

        // ------------------------------------------------------------------ what it can hold

        public override string KindRefusal(ProviderKind kind) => ProviderCatalog.CharmRefusal(kind);

        public override IReadOnlyCollection<string> UnsupportedParameters => _unsupported;

        public override bool ProviderIdMayBeCleared => true;

        internal override ExternalIdpException RefuseKind(ProviderKind kind)
            => kind.CharmSupported ? null : JujuMessages.KindNotInCharm(kind);

        internal override ExternalIdpException RefuseParameters(IReadOnlyList<string> given)
            => given.Count == 0 ? null : JujuMessages.NoOptionFor(given, given.Select(p => Fields.ByParameter(p)?.Key ?? p).ToList());

        /// <summary>The jsonnet source the charm takes: -JsonnetMapper, or a base64:// -MapperUrl decoded; a URL Kratos would read is refused.</summary>
        internal override string MapperSource(IdpSettings s)
        {
            var source = base.MapperSource(s);
            if (source == null && !string.IsNullOrEmpty(s.MapperUrl)) throw JujuMessages.MapperUrlNotSource(s.MapperUrl);
            return source;
        }

        /// <summary>Refuses values that Kratos would not read back as the same string (never echoing a secret).</summary>
        internal override ExternalIdpException RefuseValues(IdpRequest r)
        {
            var problems = new List<string>();
            foreach (var (f, value) in Plain(OptionsOf(r, withProvider: r.Kind != null, keepEmptySecrets: !r.IsAdd)))
            {
                var misread = UnsafeReason(value, showValue: !f.IsSecret);
                if (misread != null) problems.Add(JujuMessages.Misread(f, value, misread));
            }
            return problems.Count == 0 ? null : JujuMessages.UnsafeValues(problems);
        }

        /// <summary>The options the kratos charm writes as plain YAML values, with their values (secrets revealed: for the check only).</summary>
        private IEnumerable<(Field, string)> Plain(IEnumerable<KeyValuePair<string, SettingValue>> options)
        {
            foreach (var kv in options)
            {
                var f = Fields.ByCharmOption(kv.Key);
                if (f != null && IsRenderedPlain(f)) yield return (f, Text(kv.Value));
            }
        }

        /// <summary>
        /// Whether the kratos charm writes the option as a plain YAML value: not the scope (a quoted list)
        /// nor the jsonnet mapper (a file); enabled is no row (it only decides whether anything is written).
        /// </summary>
        public static bool IsRenderedPlain(Field f) => f.Type != FieldType.List && f != FieldTable.MapperUrl;

        /// <summary>
        /// What Kratos would read instead of v when the kratos charm writes it unquoted into Kratos's YAML config
        /// (the integer 1234567890, null, the boolean true, a float, a parse error ...), or null when it reads v
        /// itself. The config-file writer's rule for plain scalars, in block context.
        /// </summary>
        public static string UnsafeReason(string v, bool showValue = true) => YamlPlainScalars.Misreading(v, inFlow: false, showValue);

        // ------------------------------------------------------------------ options and entries

        /// <summary>
        /// The options for a request's values: the provider first (withProvider), then each value the charm
        /// has an option for, in table order: the scope space-separated, the mapper as jsonnet source, secrets
        /// as SecretValue. Values that clear a setting are left out, and empty secrets unless keepEmptySecrets.
        /// </summary>
        public List<KeyValuePair<string, SettingValue>> OptionsOf(IdpRequest r, bool withProvider, bool keepEmptySecrets = false)
        {
            var o = new List<KeyValuePair<string, SettingValue>>();
            if (withProvider) o.Add(new KeyValuePair<string, SettingValue>(FieldTable.Provider.CharmOption, SettingValue.Of(r.Kind.Name)));
            foreach (var kv in r.Values)
            {
                if (kv.Key.CharmOption == null || IdpRules.Clears(kv.Value)) continue;
                if (kv.Value.Kind == SettingKind.Secret && kv.Value.IsEmpty && !keepEmptySecrets) continue;
                o.Add(new KeyValuePair<string, SettingValue>(kv.Key.CharmOption, OptionValue(kv.Key, kv.Value, r.MapperSource)));
            }
            return o;
        }

        /// <summary>A setting's value as its option takes it: text (scope space-separated, the mapper's jsonnet source), or a secret as it is.</summary>
        public static SettingValue OptionValue(Field f, SettingValue v, string mapperSource)
        {
            if (v.Kind == SettingKind.Secret) return v;
            if (v.Kind == SettingKind.List) return SettingValue.Of(string.Join(" ", v.List));
            if (f == FieldTable.MapperUrl) return SettingValue.Of(mapperSource ?? DefaultMapper.TryDecode(v.Text));
            return v;
        }

        /// <summary>An option's text: a secret revealed (for sending, comparing and checking only).</summary>
        public static string Text(SettingValue optionValue) => optionValue.Kind == SettingKind.Secret ? optionValue.Secret.Reveal() : optionValue.Text;

        /// <summary>An option's value; null when unset or empty (the charm treats both alike).</summary>
        public static string Option(IDictionary<string, string> options, string key)
            => options.TryGetValue(key, out var v) && !string.IsNullOrEmpty(v) ? v : null;

        /// <summary>The options that are set, as the entry they stand for (Kratos keys; scope as a list, the mapper as base64://).</summary>
        public ProviderEntry EntryOf(IDictionary<string, string> options)
        {
            var e = new ProviderEntry();
            foreach (var f in OptionRows)
            {
                var v = Option(options, f.CharmOption);
                if (v == null) continue;
                if (f.Type == FieldType.List) e[f] = SettingValue.Of(SplitScope(v));
                else if (f == FieldTable.MapperUrl) e[f] = SettingValue.Of(DefaultMapper.ToMapperUrl(v));
                else e[f] = SettingValue.Of(v);
            }
            return e;
        }

        /// <summary>
        /// The provider entry the charm hands Kratos for these options: the options it passes for the kind
        /// (issuer_url only for generic and auth0, the tenant only for microsoft, the apple keys only for apple,
        /// no client secret for apple), with the provider id the charm uses.
        /// </summary>
        public ProviderEntry EntryForKratos(IDictionary<string, string> options, string providerId, string provider)
        {
            var e = new ProviderEntry();
            e[FieldTable.Id] = SettingValue.Of(providerId);
            e[FieldTable.Provider] = SettingValue.Of(provider);
            ProviderCatalog.TryGetExact(provider, out var kind);
            foreach (var kv in EntryOf(options))
            {
                var f = Fields.ByKey(kv.Key);
                if (f == FieldTable.Id || f == FieldTable.Provider) continue;
                if (kind != null && ProviderCatalog.KindSpecificFields.Contains(f) && !kind.Takes(f)) continue;
                if (f == FieldTable.IssuerUrl && provider != "generic" && provider != "auth0") continue;
                e[kv.Key] = kv.Value;
            }
            return e;
        }

        public static string[] SplitScope(string scope)
            => string.IsNullOrWhiteSpace(scope) ? new string[0] : scope.Split(new[] { ' ', '\t', '\n' }, StringSplitOptions.RemoveEmptyEntries);

        /// <summary>The parameter that sets an option, for messages (the charm takes jsonnet source: -JsonnetMapper).</summary>
        public string ParameterOf(string option)
        {
            var f = Fields.ByCharmOption(option);
            return f == null ? option : "-" + (f == FieldTable.MapperUrl ? f.AltParameter : f.Parameter);
        }

        /// <summary>Whether two option values are the same (line ends and surrounding white space aside).</summary>
        public static bool SameValue(string a, string b)
            => string.Equals((a ?? "").Replace("\r\n", "\n").Trim(), (b ?? "").Replace("\r\n", "\n").Trim(), StringComparison.Ordinal);

        /// <summary>Whether an existing integrator has exactly these provider options (a half-done Add of ours).</summary>
        public bool SameSettings(BundleApp app, List<KeyValuePair<string, SettingValue>> options)
        {
            if (app.Charm != Charm) return false;
            var wanted = options.ToDictionary(kv => kv.Key, kv => Text(kv.Value), StringComparer.Ordinal);
            foreach (var key in OptionRows.Select(f => f.CharmOption))
            {
                wanted.TryGetValue(key, out var w);
                var have = app.Option(key);
                if (key == FieldTable.Provider.CharmOption) { w = w ?? "generic"; have = have ?? "generic"; }
                if (!SameValue(w, have)) return false;
            }
            return true;
        }

        // ------------------------------------------------------------------ Set

        /// <summary>What Set sends to juju config: the options to set, those to reset, and the settings a new kind dropped.</summary>
        public sealed class SetPlan
        {
            public ProviderKind NewKind;
            public List<KeyValuePair<string, SettingValue>> Set = new List<KeyValuePair<string, SettingValue>>();
            public List<string> Reset = new List<string>();
            public List<string> Dropped;
        }

        /// <summary>
        /// The options to set (only those that really change) and to reset, after the shared rules judged the
        /// result as Kratos keys: the kind's required and refused settings, and those a new kind drops.
        /// </summary>
        public SetPlan PlanSet(string name, IDictionary<string, string> current, IdpRequest request)
        {
            var currentProvider = ProviderOf(current);
            if (!ProviderCatalog.TryGetExact(currentProvider, out var oldKind))
                oldKind = request.Kind ?? throw JujuMessages.ProviderNotKratos(name, currentProvider);
            var plan = new SetPlan { NewKind = request.Kind ?? oldKind };

            var existing = EntryOf(current);
            existing[FieldTable.Provider] = SettingValue.Of(oldKind.Name);
            var delta = IdpRules.Changes(existing, oldKind, plan.NewKind, request, out plan.Dropped);
            IdpProblems.RequireComplete(plan.NewKind, IdpRules.Apply(existing, delta), name);

            foreach (var kv in delta)
            {
                var option = Fields.ByKey(kv.Key).CharmOption;
                var have = Option(current, option);
                if (option == FieldTable.Provider.CharmOption && have == null) have = "generic";
                if (kv.Value == null)
                {
                    if (have != null) plan.Reset.Add(option);
                    continue;
                }
                var value = OptionValue(Fields.ByKey(kv.Key), kv.Value, request.MapperSource);
                if (SameValue(Text(value), have)) continue;
                plan.Set.Add(new KeyValuePair<string, SettingValue>(option, value));
            }
            return plan;
        }

        // ------------------------------------------------------------------ provider ids

        /// <summary>The provider id the charm gives Kratos: provider_id, or its own &lt;provider&gt;_&lt;sha1&gt;.</summary>
        public static string EffectiveId(IDictionary<string, string> options)
        {
            string Get(Field f) => Option(options, f.CharmOption);
            return Get(FieldTable.Id) ?? AutoId(ProviderOf(options), Get(FieldTable.ClientId), Get(FieldTable.IssuerUrl), Get(FieldTable.MicrosoftTenant));
        }

        /// <summary>The provider option, "generic" when unset (the charm's default).</summary>
        public static string ProviderOf(IDictionary<string, string> options) => Option(options, FieldTable.Provider.CharmOption) ?? "generic";

        private static string AutoId(string provider, string clientId, string issuer, string tenant)
        {
            if (ProviderCatalog.TryGetExact(provider, out var kind))
                return ProviderIds.Generate(kind, clientId, issuer, tenant);
            // Providers the charm accepts but Kratos doesn't (twitch, yander): same formula, client id seed.
            return ProviderIds.Generate(provider, clientId);
        }

        // ------------------------------------------------------------------ applications and statuses

        /// <summary>A valid Juju application name made from the provider id (or kind): lowercase, letters/digits/hyphens, ending in -idp.</summary>
        public static string DeriveName(ProviderKind kind, string providerId)
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

        /// <summary>Whether Juju takes this as an application name.</summary>
        public static bool IsValidAppName(string name) => name != null && AppNamePattern.IsMatch(name);

        public static void ValidateAppName(string name)
        {
            if (!IsValidAppName(name)) throw JujuMessages.BadAppName(name);
        }

        /// <summary>The charm's reading of its enabled option: anything but "false" is enabled.</summary>
        public static bool IsEnabled(string enabledOption) => !string.Equals(enabledOption, "false", StringComparison.OrdinalIgnoreCase);

        /// <summary>A unit or application status that needs someone to act (blocked or error).</summary>
        public static bool IsBlocked(string status)
            => string.Equals(status, "blocked", StringComparison.OrdinalIgnoreCase) || string.Equals(status, "error", StringComparison.OrdinalIgnoreCase);

        /// <summary>Whether the integrator says it is ready (enabled) or disabled.</summary>
        public static bool IsReady(string status, string message, bool enabled)
        {
            if (!string.Equals(status, "active", StringComparison.OrdinalIgnoreCase)) return false;
            var m = (message ?? "").Trim();
            return (enabled ? ReadyMessages : DisabledMessages).Any(x => m.Equals(x, StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>Whether the status message says the relation to kratos is missing (or not yet there).</summary>
        public static bool IsMissingRelation(string message)
            => message != null && (message.IndexOf("Missing integration", StringComparison.OrdinalIgnoreCase) >= 0
                                   || message.IndexOf("Waiting for relation", StringComparison.OrdinalIgnoreCase) >= 0);

        public static bool IsInvalidConfig(string message) => message != null && message.IndexOf("Invalid", StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
