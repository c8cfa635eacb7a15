using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ExternalIdp.Core.Checks
{
    /// <summary>
    /// Whether an identity schema takes what the module's default mapper writes (traits email,
    /// name.first, name.last) and requires nothing else. Kratos validates the mapper's traits against
    /// the schema at registration, so a trait the schema doesn't allow, or a required one the mapper
    /// doesn't fill, fails every sign-up through the IdP.
    /// </summary>
    internal static class IdentitySchemaTraits
    {
        /// <summary>The traits the default mapper writes: top-level trait → its sub-keys (empty: a string).</summary>
        private static readonly (string Trait, string[] Keys)[] Written =
        {
            ("email", new string[0]),
            ("name", new[] { "first", "last" }),
        };

        public static (KratosIdpCheckResult Result, string Message) Check(string schemaText, string where)
        {
            JObject root;
            try
            {
                using (var reader = new JsonTextReader(new StringReader(schemaText)) { DateParseHandling = DateParseHandling.None })
                    root = JObject.Load(reader);
            }
            catch (JsonException e)
            {
                return (KratosIdpCheckResult.Fail, $"The identity schema ({where}) is not a JSON object ({e.Message}), so Kratos can't use it. Fix the schema file.");
            }
            var traits = Resolve(root, root.SelectToken("properties.traits"));
            if (!(traits is JObject t))
                return (KratosIdpCheckResult.Fail, $"The identity schema ({where}) has no properties.traits object, where Kratos expects the traits. Fix the schema.");
            var props = Resolve(root, t["properties"]) as JObject ?? new JObject();
            bool closed = IsFalse(t["additionalProperties"]);
            var fails = new List<string>();
            var warnings = new List<string>();
            var found = new List<string>();

            foreach (var (trait, keys) in Written)
            {
                var def = Resolve(root, props[trait]) as JObject;
                if (def == null)
                {
                    var what = keys.Length == 0 ? $"'{trait}'" : $"'{trait}' ({string.Join(", ", keys.Select(k => trait + "." + k))})";
                    if (closed) fails.Add($"the schema has no trait {what} and allows no others (additionalProperties: false), so Kratos refuses the identity the default mapper makes whenever the IdP sends {(trait == "name" ? "given_name or family_name" : "an email")}");
                    else warnings.Add($"the schema has no trait {what}: Kratos stores it as an undeclared trait that forms and the admin UI don't show");
                    continue;
                }
                var types = Types(def);
                if (keys.Length == 0)
                {
                    if (types.Count > 0 && !types.Contains("string"))
                        fails.Add($"the trait '{trait}' is of type {string.Join("/", types)}, but the default mapper writes a string");
                    else found.Add(trait);
                    continue;
                }
                if (types.Count > 0 && !types.Contains("object"))
                {
                    fails.Add($"the trait '{trait}' is of type {string.Join("/", types)}, but the default mapper writes an object ({string.Join(", ", keys.Select(k => trait + "." + k))})");
                    continue;
                }
                var subProps = Resolve(root, def["properties"]) as JObject ?? new JObject();
                bool subClosed = IsFalse(def["additionalProperties"]);
                foreach (var k in keys)
                {
                    if (subProps[k] != null) { found.Add(trait + "." + k); continue; }
                    if (subClosed) fails.Add($"the trait '{trait}' has no '{k}' and allows no other keys, so Kratos refuses the '{trait}.{k}' the default mapper writes");
                    else warnings.Add($"the trait '{trait}' declares no '{k}'");
                }
                foreach (var r in Required(def).Where(r => !keys.Contains(r)))
                    fails.Add($"the trait '{trait}' requires '{r}', which the default mapper never writes");
            }
            var required = Required(t);
            foreach (var r in required.Where(r => !Written.Any(w => w.Trait == r)))
                fails.Add($"the schema requires the trait '{r}', which the default mapper never fills, so every sign-up through this IdP fails");

            var requiredNote = required.Count == 0 ? "no traits are required" : $"required: {string.Join(", ", required)}";
            if (fails.Count > 0)
                return (KratosIdpCheckResult.Fail, $"The identity schema ({where}) doesn't fit the default mapper: {string.Join("; ", fails)}. Add the traits to the schema, or give a mapper that writes the schema's traits (-JsonnetMapper).");
            if (warnings.Count > 0)
                return (KratosIdpCheckResult.Warning, $"The identity schema ({where}) takes the default mapper's traits, but {string.Join("; ", warnings)}. Declare them in the schema, or give a mapper that writes only the schema's traits (-JsonnetMapper).");
            return (KratosIdpCheckResult.Pass, $"The identity schema ({where}) has the traits the default mapper writes ({string.Join(", ", found)}); {requiredNote}, all of which it fills.");
        }

        private static bool IsFalse(JToken t) => t != null && t.Type == JTokenType.Boolean && !(bool)t;

        private static List<string> Types(JObject def)
        {
            var type = def["type"];
            if (type == null) return new List<string>();
            if (type.Type == JTokenType.String) return new List<string> { (string)type };
            return type.Children().Where(c => c.Type == JTokenType.String).Select(c => (string)c).ToList();
        }

        private static List<string> Required(JObject def)
            => (def["required"] as JArray)?.Where(c => c.Type == JTokenType.String).Select(c => (string)c).ToList() ?? new List<string>();

        /// <summary>Follows local "$ref": "#/..." pointers (a few levels); anything else is returned as it is.</summary>
        private static JToken Resolve(JObject root, JToken t)
        {
            for (int i = 0; i < 8 && t is JObject o && o["$ref"] is JValue r && r.Type == JTokenType.String; i++)
            {
                var pointer = (string)r;
                if (!pointer.StartsWith("#/", StringComparison.Ordinal)) break;
                JToken cur = root;
                foreach (var seg in pointer.Substring(2).Split('/'))
                {
                    var key = Uri.UnescapeDataString(seg).Replace("~1", "/").Replace("~0", "~");
                    cur = cur is JObject co ? co[key] : null;
                    if (cur == null) break;
                }
                if (cur == null) break;
                t = cur;
            }
            return t;
        }
    }
}
