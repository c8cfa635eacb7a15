using System.Collections.Generic;
using ExternalIdp.Core.Checks;

namespace ExternalIdp.Core.DesiredState
{
    /// <summary>Refuses what the destination's Kratos release would reject (KratosReleases holds the facts).</summary>
    internal static class VersionCheck
    {
        /// <summary>
        /// Throws KratosIdpNotSupportedByVersion when Kratos of versionText (from source) rejects the
        /// provider kind (null: not changed) or one of the keys. Does nothing when no usable version is known.
        /// </summary>
        public static void Require(string versionText, string source, string provider, ProviderEntry keys, string targetDescription, string name)
        {
            if (!KratosReleases.TryParse(versionText, out var v) || KratosReleases.OlderThanKnown(v)) return;
            var rejected = KratosReleases.Rejected(v, provider, keys);
            if (rejected.Count == 0) return;
            throw new ExternalIdpException(ErrorIds.NotSupportedByVersion, ErrorKind.InvalidArgument,
                $"{targetDescription} runs Kratos {KratosReleases.Name(v)} ({source}), which does not accept {string.Join(", ", rejected)}: one key or kind it doesn't know makes Kratos refuse its whole config. " +
                $"Leave it out of the desired IdP or upgrade Kratos (if {source} is not the Kratos that reads this config, give -KratosVersion).", name);
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
