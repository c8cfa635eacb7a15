using System.Collections.Generic;
using ExternalIdp.Core.Checks;

namespace ExternalIdp.Core.DesiredState
{
    /// <summary>Refuses what the destination's Kratos release would reject, by the one rule (KratosVersionRules).</summary>
    internal static class VersionCheck
    {
        /// <summary>
        /// Throws KratosIdpNotSupportedByVersion when the release rejects the provider kind (null: not
        /// changed) or one of the keys: KratosVersionRules, the rule of Add and Set.
        /// </summary>
        public static void Require(KratosRelease release, string provider, ProviderEntry keys, string targetDescription, string name)
        {
            var written = keys.Clone();
            if (provider != null) written[FieldTable.Provider] = SettingValue.Of(provider);
            else written.Remove(FieldTable.Provider.Key);
            var refusal = KratosVersionRules.Refusal(release, written, targetDescription, name, fix: "leave it out of the desired IdP");
            if (refusal != null) throw refusal;
        }

        /// <summary>
        /// The keys that will be written (Kratos key → value, null values left out) and the desired
        /// keys without a parameter, for Require.
        /// </summary>
        public static ProviderEntry Keys(IEnumerable<KeyValuePair<string, SettingValue>> values, IDictionary<string, object> extras)
        {
            var e = new ProviderEntry();
            foreach (var kv in values)
                if (kv.Value != null) e[kv.Key] = kv.Value;
            if (extras != null)
                foreach (var kv in extras)
                    e[kv.Key] = kv.Value is string s ? SettingValue.Of(s) : SettingValue.OfJson(kv.Value, null);
            return e;
        }

        /// <summary>The keys a request gives (Kratos key → value), for Require.</summary>
        public static ProviderEntry Keys(IdpRequest r)
        {
            var e = new ProviderEntry();
            foreach (var kv in r.Values) e[kv.Key] = kv.Value;
            return e;
        }
    }
}
