using System;
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
    /// Validates provider entries against Kratos's own schema (reference/kratos-oidc.schema.json),
    /// draft-07 with if/then/else. The "uri" format is asserted the way Kratos's Go validator does
    /// (url.Parse + absolute), which accepts base64://&lt;base64&gt; mapper URLs.
    /// </summary>
    public static class KratosSchema
    {
        private static readonly Lazy<JsonSchema> Schema = new Lazy<JsonSchema>(() =>
            JsonSchema.FromText(File.ReadAllText(Path.Combine(Reference.Dir, "kratos-oidc.schema.json"))));

        private static readonly Regex AbsoluteUri = new Regex(@"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s\x00-\x1f\x7f]*$");
        private static readonly string[] UriKeys = { "issuer_url", "auth_url", "token_url", "mapper_url", "fedcm_config_url" };

        /// <summary>Schema errors of one provider entry (empty when Kratos would accept it).</summary>
        public static IReadOnlyList<string> Errors(JToken entry)
        {
            var doc = new JObject { ["enabled"] = true, ["config"] = new JObject { ["providers"] = new JArray(entry) } };
            var node = JsonNode.Parse(doc.ToString(Newtonsoft.Json.Formatting.None));
            var result = Schema.Value.Evaluate(node, new EvaluationOptions { OutputFormat = OutputFormat.List });
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
