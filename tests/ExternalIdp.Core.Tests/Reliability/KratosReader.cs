using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ExternalIdp.Core.Tests.Reliability
{
    /// <summary>
    /// Reads a config file independently of the module (YamlDotNet's representation model) the way a
    /// strict YAML reader would: a plain scalar that YAML 1.1 or 1.2 could resolve to null, a boolean,
    /// a number or a timestamp becomes {"$typed": text}, so it never compares equal to the string a user gave.
    /// </summary>
    internal static class KratosReader
    {
        private static readonly Regex Typed = new Regex(
            @"^(~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|<<|=" +
            @"|[-+]?(0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(:[0-5]?[0-9])*)" +
            @"|[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*([eE][-+]?[0-9]+)" +
            @"|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)" +
            @"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?)$", RegexOptions.CultureInvariant);

        public static YamlNode Root(string text)
        {
            var ys = new YamlStream();
            using (var r = new StringReader(text)) ys.Load(r);
            return ys.Documents.Count == 0 ? null : ys.Documents[0].RootNode;
        }

        public static string Text(string path)
        {
            var b = File.ReadAllBytes(path);
            int skip = b.Length >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0;
            return new UTF8Encoding(false, true).GetString(b, skip, b.Length - skip);
        }

        public static JToken ToJson(YamlNode n)
        {
            switch (n)
            {
                case YamlScalarNode s:
                    if (s.Style == ScalarStyle.Plain && (s.Tag.IsEmpty || s.Tag.Value == "?") && (s.Value.Length == 0 || Typed.IsMatch(s.Value)))
                        return new JObject { ["$typed"] = s.Value };
                    return new JValue(s.Value);
                case YamlSequenceNode q: return new JArray(q.Children.Select(ToJson));
                case YamlMappingNode m:
                    var o = new JObject();
                    foreach (var kv in m.Children) o[((YamlScalarNode)kv.Key).Value] = ToJson(kv.Value);
                    return o;
                default: return JValue.CreateNull();
            }
        }

        /// <summary>The mapping at root (dotted) then keys, or null.</summary>
        public static YamlNode At(YamlNode root, string configRoot, params string[] keys)
        {
            var cur = root;
            foreach (var k in (configRoot == null ? new string[0] : configRoot.Split('.')).Concat(keys))
            {
                if (!(cur is YamlMappingNode m) || !m.Children.TryGetValue(new YamlScalarNode(k), out cur)) return null;
            }
            return cur;
        }

        public static readonly string[] ProvidersPath = { "selfservice", "methods", "oidc", "config", "providers" };

        /// <summary>The provider entries of a file as typed JSON (empty when there is no list).</summary>
        public static JArray Providers(string text, string configRoot)
            => At(Root(text), configRoot, ProvidersPath) is YamlSequenceNode q ? (JArray)ToJson(q) : new JArray();
    }
}
