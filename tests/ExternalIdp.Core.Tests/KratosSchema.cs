using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Newtonsoft.Json.Linq;

namespace ExternalIdp.Core.Tests
{
    /// <summary>
    /// Validates provider entries against Kratos's own schema (fixtures/kratos-oidc.schema.json, or
    /// the schema of one release from fixtures/kratos-oidc-schemas/&lt;tag&gt;.json), draft-07 with
    /// if/then/else. The "uri" format is asserted the way Kratos's Go validator does (url.Parse +
    /// absolute), which accepts base64://&lt;base64&gt; mapper URLs.
    /// </summary>
    public static class KratosSchema
    {
        private static readonly ConcurrentDictionary<string, JsonSchema> Schemas = new ConcurrentDictionary<string, JsonSchema>(StringComparer.Ordinal);

        private static JsonSchema SchemaOf(string release)
            => Schemas.GetOrAdd(release ?? "", r => JsonSchema.FromText(File.ReadAllText(r.Length == 0
                ? Path.Combine(Reference.Dir, "kratos-oidc.schema.json")
                : Path.Combine(Reference.Dir, "kratos-oidc-schemas", r + ".json"))));

        /// <summary>The releases that have a schema in fixtures/kratos-oidc-schemas, oldest first.</summary>
        public static IReadOnlyList<string> Releases => ExternalIdp.Core.Checks.KratosReleases.All
            .Where(r => File.Exists(Path.Combine(Reference.Dir, "kratos-oidc-schemas", r + ".json"))).ToList();

        private static readonly Regex AbsoluteUri = new Regex(@"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s\x00-\x1f\x7f]*$");
        private static readonly string[] UriKeys = { "issuer_url", "auth_url", "token_url", "mapper_url", "fedcm_config_url" };

        /// <summary>Schema errors of one provider entry (empty when Kratos would accept it); release: a tag such as v1.1.0, null for v26.2.0's.</summary>
        public static IReadOnlyList<string> Errors(JToken entry, string release = null)
        {
            var doc = new JObject { ["enabled"] = true, ["config"] = new JObject { ["providers"] = new JArray(entry) } };
            var node = JsonNode.Parse(doc.ToString(Newtonsoft.Json.Formatting.None));
            var result = SchemaOf(release).Evaluate(node, new EvaluationOptions { OutputFormat = OutputFormat.List });
            var errors = new List<string>();
            if (!result.IsValid)
            {
                foreach (var d in result.Details.Where(d => d.Errors != null))
                    foreach (var e in d.Errors) errors.Add($"{d.InstanceLocation}: {e.Key}: {e.Value}");
                if (errors.Count == 0) errors.Add("invalid (no detail)");
            }
            if (entry is JObject o)
                foreach (var k in UriKeys)
                    if (o[k] is JValue v && v.Type == JTokenType.String && !AbsoluteUri.IsMatch((string)v))
                        errors.Add($"{k}: not an absolute URI");
            return errors;
        }

        /// <summary>
        /// A YAML node as Kratos reads it (gopkg.in/yaml.v3, YAML 1.2 core schema): a plain scalar null, ~ or
        /// empty is null, true/false a boolean, an integer or float a number; quoted scalars are strings.
        /// </summary>
        public static JToken AsKratosReads(YamlDotNet.RepresentationModel.YamlNode n)
        {
            switch (n)
            {
                case YamlDotNet.RepresentationModel.YamlScalarNode s:
                    if (s.Style != YamlDotNet.Core.ScalarStyle.Plain) return new JValue(s.Value);
                    var v = s.Value ?? "";
                    if (v.Length == 0 || CoreNull.IsMatch(v)) return JValue.CreateNull();
                    if (CoreBool.IsMatch(v)) return new JValue(v.Equals("true", StringComparison.OrdinalIgnoreCase));
                    if (CoreInt.IsMatch(v) && long.TryParse(v, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var i)) return new JValue(i);
                    if (CoreFloat.IsMatch(v)) return new JValue(double.Parse(v, System.Globalization.CultureInfo.InvariantCulture));
                    return new JValue(v);
                case YamlDotNet.RepresentationModel.YamlSequenceNode q: return new JArray(q.Children.Select(AsKratosReads));
                case YamlDotNet.RepresentationModel.YamlMappingNode m:
                    var o = new JObject();
                    foreach (var kv in m.Children) o[((YamlDotNet.RepresentationModel.YamlScalarNode)kv.Key).Value] = AsKratosReads(kv.Value);
                    return o;
                default: return JValue.CreateNull();
            }
        }

        private static readonly Regex CoreNull = new Regex(@"^(~|null|Null|NULL)$");
        private static readonly Regex CoreBool = new Regex(@"^(true|True|TRUE|false|False|FALSE)$");
        private static readonly Regex CoreInt = new Regex(@"^[-+]?[0-9]+$");
        private static readonly Regex CoreFloat = new Regex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$");

        /// <summary>Every provider entry of a config file (YAML or JSON) as Kratos reads it.</summary>
        public static IReadOnlyList<JObject> EntriesOf(string path, string configRoot = null)
        {
            var ys = new YamlDotNet.RepresentationModel.YamlStream();
            using (var r = new StringReader(File.ReadAllText(path))) ys.Load(r);
            YamlDotNet.RepresentationModel.YamlNode cur = ys.Documents[0].RootNode;
            var keys = (configRoot == null ? new string[0] : configRoot.Split('.')).Concat(new[] { "selfservice", "methods", "oidc", "config", "providers" });
            foreach (var k in keys)
                if (!(cur is YamlDotNet.RepresentationModel.YamlMappingNode m) || !m.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode(k), out cur)) return new JObject[0];
            return ((YamlDotNet.RepresentationModel.YamlSequenceNode)cur).Children.Select(c => (JObject)AsKratosReads(c)).ToList();
        }

        /// <summary>What one release's schema accepts in a provider entry: its keys, kinds and enum values.</summary>
        public sealed class Release
        {
            private readonly JObject _properties;
            internal Release(JObject properties) { _properties = properties; }

            public bool HasKey(string key) => _properties[key] != null;

            public bool AcceptsKind(string kind) => _properties["provider"]["enum"].Any(x => (string)x == kind);

            /// <summary>Whether the key is in the schema and, for an enum, the value one of its values.</summary>
            public bool Accepts(string key, ExternalIdp.Core.SettingValue value)
            {
                if (!HasKey(key)) return false;
                var values = _properties[key]["enum"];
                return values == null || value?.Text == null || values.Any(x => (string)x == value.Text);
            }
        }

        /// <summary>The provider definition of a release's schema (fixtures/kratos-oidc-schemas/&lt;tag&gt;.json).</summary>
        public static Release Of(string release)
        {
            var root = JObject.Parse(File.ReadAllText(Path.Combine(Reference.Dir, "kratos-oidc-schemas", release + ".json")));
            var provider = root.Descendants().OfType<JObject>().First(o => o["properties"] is JObject p && p["client_id"] != null);
            return new Release((JObject)provider["properties"]);
        }

        /// <summary>The entry with this id of a config file, as Kratos reads it, or null.</summary>
        public static JObject EntryOf(string path, string id, string configRoot = null)
            => EntriesOf(path, configRoot).FirstOrDefault(e => (string)e["id"] == id);
    }

    public static class Reference
    {
        /// <summary>tests/fixtures of the repository (the folder holding ExternalIdp.sln): the schemas and configs tests read.</summary>
        public static string Dir
        {
            get
            {
                var dir = new DirectoryInfo(AppContext.BaseDirectory);
                while (dir != null && !File.Exists(Path.Combine(dir.FullName, "ExternalIdp.sln"))) dir = dir.Parent;
                if (dir == null) throw new InvalidOperationException("ExternalIdp.sln not found above " + AppContext.BaseDirectory);
                var reference = Path.Combine(dir.FullName, "tests", "fixtures");
                if (!Directory.Exists(reference)) throw new InvalidOperationException("test fixtures folder not found at " + reference);
                return reference;
            }
        }
    }
}
