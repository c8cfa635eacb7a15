using System;
using System.Collections.Generic;
using System.Linq;

namespace ExternalIdp.Core.DesiredState
{
    /// <summary>How a desired-state setting is written and compared.</summary>
    public enum DesiredShape
    {
        /// <summary>One text value ("" or null: the optional setting is absent).</summary>
        Text,
        /// <summary>A list of texts (scope).</summary>
        List,
        /// <summary>A secret: the desired state holds only its name, never the value.</summary>
        Secret,
    }

    /// <summary>
    /// One provider setting as the desired state names it, and where it lives in IdpSettings (what
    /// Add and Set take) and in KratosIdp (what Get returns).
    /// </summary>
    public sealed class DesiredSetting
    {
        internal DesiredSetting(string name, string settingsProperty, string idpProperty, string kratosKey, DesiredShape shape,
            Func<IdpSettings, object> get, Action<IdpSettings, object> set, Func<KratosIdp, object> actual)
        {
            Name = name;
            SettingsProperty = settingsProperty;
            IdpProperty = idpProperty;
            KratosKey = kratosKey;
            Shape = shape;
            Get = get;
            Set = set;
            Actual = actual;
        }

        /// <summary>The key in a desired-state file (client_id).</summary>
        public string Name { get; }
        /// <summary>The IdpSettings property, which is also the parameter of Add and Set (ClientId).</summary>
        public string SettingsProperty { get; }
        /// <summary>The KratosIdp property that shows the value (ClientId; HasClientSecret for a secret).</summary>
        public string IdpProperty { get; }
        /// <summary>The key in a Kratos provider entry (client_id).</summary>
        public string KratosKey { get; }
        public DesiredShape Shape { get; }

        /// <summary>The value in settings: string, string[] or SecretValue; null when not given.</summary>
        internal Func<IdpSettings, object> Get { get; }
        internal Action<IdpSettings, object> Set { get; }
        /// <summary>What a KratosIdp shows: string or string[] (bool for a secret: whether one is set).</summary>
        internal Func<KratosIdp, object> Actual { get; }

        /// <summary>The value in settings: string, string[] or SecretValue; null when not given.</summary>
        public object ValueIn(IdpSettings settings) => Get(settings);

        /// <summary>Sets the value in settings (string, string[] or SecretValue, by Shape).</summary>
        public void Assign(IdpSettings settings, object value) => Set(settings, value);

        public override string ToString() => Name;
    }

    /// <summary>
    /// The one list of desired-state settings: desired-state name ↔ IdpSettings property (the
    /// parameter) ↔ KratosIdp property ↔ Kratos key. Reading and writing desired-state files,
    /// pipeline input, Compare and Sync all go through it; Kratos keys it doesn't list are "keys
    /// without a parameter", kept as they are (see <see cref="ExtraKeys"/>).
    /// </summary>
    public static class DesiredSettings
    {
        private static DesiredSetting Text(string name, string prop, string kratosKey, Func<IdpSettings, string> get, Action<IdpSettings, string> set, Func<KratosIdp, string> actual, string idpProp = null)
            => new DesiredSetting(name, prop, idpProp ?? prop, kratosKey, DesiredShape.Text, s => get(s), (s, v) => set(s, (string)v), i => actual(i));

        private static DesiredSetting Secret(string name, string prop, string idpProp, string kratosKey, Func<IdpSettings, SecretValue> get, Action<IdpSettings, SecretValue> set, Func<KratosIdp, bool> has)
            => new DesiredSetting(name, prop, idpProp, kratosKey, DesiredShape.Secret, s => get(s), (s, v) => set(s, (SecretValue)v), i => has(i));

        /// <summary>In the order a desired-state file writes them.</summary>
        public static readonly IReadOnlyList<DesiredSetting> All = new[]
        {
            Text("provider", "Provider", Fields.Provider, s => s.Provider, (s, v) => s.Provider = v, i => i.Provider),
            Text("provider_id", "ProviderId", Fields.Id, s => s.ProviderId, (s, v) => s.ProviderId = v, i => i.ProviderId),
            Text("label", "Label", Fields.Label, s => s.Label, (s, v) => s.Label = v, i => i.Label),
            Text("client_id", "ClientId", Fields.ClientId, s => s.ClientId, (s, v) => s.ClientId = v, i => i.ClientId),
            Secret("client_secret", "ClientSecret", "HasClientSecret", Fields.ClientSecret, s => s.ClientSecret, (s, v) => s.ClientSecret = v, i => i.HasClientSecret),
            Text("issuer_url", "IssuerUrl", Fields.IssuerUrl, s => s.IssuerUrl, (s, v) => s.IssuerUrl = v, i => i.IssuerUrl),
            Text("tenant", "TenantId", Fields.MicrosoftTenant, s => s.TenantId, (s, v) => s.TenantId = v, i => i.TenantId),
            Text("subject_source", "SubjectSource", Fields.SubjectSource, s => s.SubjectSource, (s, v) => s.SubjectSource = v, i => i.SubjectSource),
            Text("apple_team_id", "AppleTeamId", Fields.AppleTeamId, s => s.AppleTeamId, (s, v) => s.AppleTeamId = v, i => i.AppleTeamId),
            Text("apple_private_key_id", "ApplePrivateKeyId", Fields.ApplePrivateKeyId, s => s.ApplePrivateKeyId, (s, v) => s.ApplePrivateKeyId = v, i => i.ApplePrivateKeyId),
            Secret("apple_private_key", "ApplePrivateKey", "HasApplePrivateKey", Fields.ApplePrivateKey, s => s.ApplePrivateKey, (s, v) => s.ApplePrivateKey = v, i => i.HasApplePrivateKey),
            new DesiredSetting("scope", "Scope", "Scope", Fields.Scope, DesiredShape.List, s => s.Scope, (s, v) => s.Scope = (string[])v, i => i.Scope),
            Text("mapper_url", "MapperUrl", Fields.MapperUrl, s => s.MapperUrl, (s, v) => s.MapperUrl = v, i => i.MapperUrl),
            // The jsonnet source; Kratos and the KratosIdp hold it as the base64:// mapper_url.
            Text("jsonnet_mapper", "JsonnetMapper", Fields.MapperUrl, s => s.JsonnetMapper, (s, v) => s.JsonnetMapper = v, i => i.MapperUrl, idpProp: "MapperUrl"),
            Text("claims_source", "ClaimsSource", Fields.ClaimsSource, s => s.ClaimsSource, (s, v) => s.ClaimsSource = v, i => i.ClaimsSource),
            Text("pkce", "Pkce", Fields.Pkce, s => s.Pkce, (s, v) => s.Pkce = v, i => i.Pkce),
        };

        private static string Fold(string key) => key == null ? "" : key.Replace("_", "").Replace("-", "").ToLowerInvariant();

        private static readonly Dictionary<string, DesiredSetting> ByName = All.ToDictionary(s => s.Name, StringComparer.Ordinal);

        private static readonly Dictionary<string, DesiredSetting> ByFolded = BuildFolded();

        private static Dictionary<string, DesiredSetting> BuildFolded()
        {
            var d = new Dictionary<string, DesiredSetting>(StringComparer.Ordinal);
            foreach (var s in All)
                // A secret's KratosIdp property (HasClientSecret) says whether one is set: it names no setting.
                foreach (var k in s.Shape == DesiredShape.Secret ? new[] { s.Name, s.SettingsProperty } : new[] { s.Name, s.SettingsProperty, s.IdpProperty })
                    if (!d.ContainsKey(Fold(k))) d[Fold(k)] = s;
            return d;
        }

        /// <summary>The setting of a desired-state file key (exact spelling), or null.</summary>
        public static DesiredSetting ByFileKey(string key) => key != null && ByName.TryGetValue(key, out var s) ? s : null;

        /// <summary>
        /// The setting a property or hashtable key names, in any of its spellings (client_id, ClientId;
        /// case, '_' and '-' ignored), or null.
        /// </summary>
        public static DesiredSetting ByAnyName(string key) => key != null && ByFolded.TryGetValue(Fold(key), out var s) ? s : null;

        /// <summary>
        /// Kratos keys that no setting above covers ("keys without a parameter": auth_url, token_url,
        /// requested_claims, ...): a desired state names them by their Kratos key and they are written
        /// as they are.
        /// </summary>
        public static readonly IReadOnlyCollection<string> ExtraKeys = new HashSet<string>(
            Fields.KratosKeys.Where(k => !All.Any(s => s.KratosKey == k)), StringComparer.Ordinal);

        /// <summary>The desired-state name of a Kratos key, for messages that point at a misspelt key ("id" → provider_id).</summary>
        public static string NameOfKratosKey(string kratosKey)
            => All.FirstOrDefault(s => s.KratosKey == kratosKey && s.Name != "jsonnet_mapper")?.Name;
    }
}
