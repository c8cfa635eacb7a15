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
        public static void Require(string versionText, string source, string provider, IEnumerable<KeyValuePair<string, object>> keys, string targetDescription, string name)
        {
            if (!KratosReleases.TryParse(versionText, out var v) || KratosReleases.OlderThanKnown(v)) return;
            var rejected = KratosReleases.Rejected(v, provider, keys);
            if (rejected.Count == 0) return;
            throw new ExternalIdpException(ErrorIds.NotSupportedByVersion, ErrorKind.InvalidArgument,
                $"{targetDescription} runs Kratos {KratosReleases.Name(v)} ({source}), which does not accept {string.Join(", ", rejected)}: one key or kind it doesn't know makes Kratos refuse its whole config. " +
                $"Leave it out of the desired IdP or upgrade Kratos (if {source} is not the Kratos that reads this config, give -KratosVersion).", name);
        }

        /// <summary>The keys an IdpSettings gives (Kratos key → value), for Require.</summary>
        public static IEnumerable<KeyValuePair<string, object>> Keys(IdpSettings s, IDictionary<string, object> extras)
        {
            foreach (var kv in IdpRules.GivenFields(s))
                if (kv.Value != null) yield return kv;
            if (extras != null) foreach (var kv in extras) yield return kv;
        }
    }
}
