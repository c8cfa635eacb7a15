using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ExternalIdp.Core.Checks;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>What Test-KratosIdp reads from a config file: one read, as GetIdps does.</summary>
    public sealed partial class ConfigFileTarget
    {
        public CheckInput ReadForChecks(ICoreHost host, OperationOptions options = null)
        {
            host = host ?? SilentHost.Instance;
            var doc = Load();
            host.WriteVerbose($"Read {doc.Items.Count} provider entr{(doc.Items.Count == 1 ? "y" : "ies")} from {Description} for checking.");
            var release = ReleaseOf(doc, options);
            var idps = ToIdps(doc, release);
            var subjects = new List<CheckSubject>(idps.Count);
            bool enabled = doc.OidcEnabled;
            for (int i = 0; i < idps.Count; i++)
            {
                var settings = doc.Items[i] is YMapping m ? doc.Entry(m) : new ProviderEntry();
                // What the release rejects is the KratosVersion check's to report, not the Settings check's.
                var byRelease = KratosVersionRules.Problems(release, settings, _fields);
                var subject = new CheckSubject(idps[i], settings, idps[i].Problems.Where(p => !byRelease.Contains(p)).ToList());
                if (!enabled)
                    subject.Notes.Add($"{RootPrefix}selfservice.methods.oidc.enabled is not true, so Kratos offers no OpenID Connect sign-in at all: set it to true (Add-KratosIdp does when it adds an IdP)");
                subjects.Add(subject);
            }
            var input = new CheckInput(subjects) { BaseFolder = Path.GetDirectoryName(Path.GetFullPath(ConfigPath)) };

            var version = Scalar(doc, "version");
            if (version != null)
            {
                input.KratosVersion = version;
                input.KratosVersionSource = $"the config file's {RootPrefix}version: key";
            }
            else input.NoKratosVersionReason = $"The config file has no {RootPrefix}version: key.";

            ReadIdentitySchema(doc, input);
            return input;
        }

        private string RootPrefix => ConfigRoot == null ? "" : ConfigRoot + ".";

        /// <summary>A scalar's text at a dotted path below the Kratos config's root (numbers as written), or null.</summary>
        private static string Scalar(KratosConfigDocument doc, params string[] keys)
        {
            YNode cur = doc.KRoot;
            foreach (var k in keys)
            {
                if (cur is YAlias a) doc.Doc.Anchors.TryGetValue(a.Name, out cur);
                if (!(cur is YMapping map)) return null;
                var found = map.FindAll(k);
                if (found.Count != 1) return null;
                cur = found[0].Value;
            }
            if (cur is YAlias al) doc.Doc.Anchors.TryGetValue(al.Name, out cur);
            if (!(cur is YScalar s)) return null;
            var v = YamlText.Resolve(s);
            return v as string ?? (v as YamlText.Typed)?.Text;
        }

        /// <summary>The default identity schema: identity.schemas[id = identity.default_schema_id (default "default")].url, or the older identity.default_schema_url.</summary>
        private void ReadIdentitySchema(KratosConfigDocument doc, CheckInput input)
        {
            var defaultId = Scalar(doc, "identity", "default_schema_id") ?? "default";
            string url = null, source = null;
            YNode schemas = null;
            if (doc.KRoot.FindAll("identity").FirstOrDefault()?.Value is YMapping identity)
                schemas = identity.FindAll("schemas").FirstOrDefault()?.Value;
            if (schemas != null && doc.Plain(schemas) is List<object> list)
            {
                foreach (var item in list.OfType<Dictionary<string, object>>())
                {
                    var id = item.TryGetValue("id", out var i) ? (i as string ?? (i as YamlText.Typed)?.Text) : null;
                    if (id != defaultId) continue;
                    url = item.TryGetValue("url", out var u) ? u as string : null;
                    source = $"{RootPrefix}identity.schemas, id '{defaultId}'";
                    break;
                }
                if (source == null)
                {
                    input.NoIdentitySchemaReason = $"{RootPrefix}identity.schemas has no schema with id '{defaultId}' (the default schema id), so there is no identity schema to compare the mapper with.";
                    return;
                }
            }
            else
            {
                url = Scalar(doc, "identity", "default_schema_url");
                if (url != null) source = $"{RootPrefix}identity.default_schema_url";
            }
            if (string.IsNullOrEmpty(url))
            {
                input.NoIdentitySchemaReason = source == null
                    ? $"The config names no identity schema ({RootPrefix}identity.schemas or {RootPrefix}identity.default_schema_url), so there is none to compare the mapper with."
                    : $"The identity schema ({source}) has no url.";
                return;
            }
            if (IdpRules.IsPlaceholder(url))
            {
                input.NoIdentitySchemaReason = $"The identity schema URL ({source}) is a template placeholder, which can't be read.";
                return;
            }
            input.IdentitySchemaUrl = url;
            input.IdentitySchemaSource = source;
        }
    }
}
