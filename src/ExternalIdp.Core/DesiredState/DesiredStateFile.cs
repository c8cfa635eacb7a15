using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ExternalIdp.Core.DesiredState
{
    /// <summary>
    /// The desired-state file, version 1 (YAML, or JSON when the name ends in .json):
    /// <code>
    /// version: 1
    /// idps:
    ///   google:                      # the IdP's name (config file: its provider id)
    ///     provider: google
    ///     provider_id: google
    ///     client_id: 1234-abc.apps.googleusercontent.com
    ///     client_secret: google      # the NAME of a secret (-Secret / -Vault), never its value
    ///     scope: [email, profile]
    /// </code>
    /// Every scalar is read as text (client_id: 1234567890 is the text "1234567890"); null or an empty
    /// value is the empty text (the optional setting absent). Keys are the desired-state settings
    /// (<see cref="DesiredSettings"/>) and Kratos keys without a parameter, written as in Kratos. A file
    /// with an unknown key, a duplicate name or provider id, or a value of the wrong type is refused
    /// whole, each problem with its line and column.
    /// </summary>
    public static partial class DesiredStateFile
    {
        public const int Version = 1;

        // ------------------------------------------------------------------ reading

        /// <summary>Reads and checks a desired-state file. Throws KratosDesiredStateFileError / KratosDesiredStateInvalid.</summary>
        public static List<DesiredIdp> Load(string path)
        {
            string text;
            try { text = File.ReadAllText(path, new UTF8Encoding(false, true)); }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                throw new ExternalIdpException(ErrorIds.DesiredStateFileError, ErrorKind.ObjectNotFound,
                    $"The desired-state file {path} does not exist. Check -Path, or write one with Export-KratosIdp -Path {path}.", path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is DecoderFallbackException)
            {
                throw new ExternalIdpException(ErrorIds.DesiredStateFileError, ErrorKind.ReadError,
                    $"The desired-state file {path} can't be read: {ex.Message} Check the path and its permissions (it must be UTF-8 text).", path, ex);
            }
            return Parse(text, path, IsJson(path));
        }

        public static bool IsJson(string path) => path != null && path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

        /// <summary>Parses desired-state text; path names the file in messages.</summary>
        public static List<DesiredIdp> Parse(string text, string path, bool json)
        {
            var reader = new Reader(path);
            Node root = json ? reader.ReadJson(text) : reader.ReadYaml(text);
            var idps = reader.Interpret(root);
            reader.ThrowIfProblems();
            return idps;
        }

        private abstract class Node
        {
            public int Line, Column;
        }

        private sealed class Scalar : Node
        {
            public string Value;
            /// <summary>Written without quotes (YAML plain, or a JSON literal such as true or 5).</summary>
            public bool Plain;
            public bool IsNull;
        }

        private sealed class Seq : Node { public List<Node> Items = new List<Node>(); }

        private sealed class Map : Node { public List<KeyValuePair<Scalar, Node>> Pairs = new List<KeyValuePair<Scalar, Node>>(); }

        private sealed class Reader
        {
            private readonly string _path;
            private readonly List<string> _problems = new List<string>();

            public Reader(string path) { _path = path; }

            private string At(Node n) => n == null ? _path : $"{_path}, line {n.Line}, column {n.Column}";

            private void Problem(Node at, string message)
            {
                if (_problems.Count < 20) _problems.Add($"{At(at)}: {message}");
            }

            public void ThrowIfProblems()
            {
                if (_problems.Count == 0) return;
                throw new ExternalIdpException(ErrorIds.DesiredStateInvalid, ErrorKind.InvalidData,
                    $"The desired-state file was refused; nothing was compared or changed. {string.Join(" ", _problems)}", _path);
            }

            private ExternalIdpException Fatal(int line, int column, string message)
                => new ExternalIdpException(ErrorIds.DesiredStateInvalid, ErrorKind.InvalidData,
                    $"The desired-state file was refused; nothing was compared or changed. {_path}, line {line}, column {column}: {message}", _path);

            // ---- YAML

            public Node ReadYaml(string text)
            {
                var parser = new Parser(new StringReader(text));
                try
                {
                    parser.Consume<StreamStart>();
                    if (parser.Accept<StreamEnd>(out _)) throw Fatal(1, 1, "the file is empty. Start it with 'version: 1' and an 'idps:' mapping.");
                    parser.Consume<DocumentStart>();
                    var root = ReadYamlNode(parser);
                    parser.Consume<DocumentEnd>();
                    if (parser.Accept<DocumentStart>(out var second))
                        throw Fatal((int)second.Start.Line, (int)second.Start.Column, "a second YAML document starts here; a desired-state file holds one.");
                    return root;
                }
                catch (YamlException ex)
                {
                    throw Fatal((int)ex.Start.Line, (int)ex.Start.Column, $"not valid YAML: {Clean(ex.Message)}.");
                }
            }

            private Node ReadYamlNode(IParser parser)
            {
                var ev = parser.Current;
                int line = (int)ev.Start.Line, col = (int)ev.Start.Column;
                if (parser.TryConsume<AnchorAlias>(out var alias))
                    throw Fatal(line, col, $"the alias *{alias.Value} can't be used in a desired-state file: write the value out.");
                if (parser.TryConsume<YamlDotNet.Core.Events.Scalar>(out var s))
                {
                    bool plain = s.Style == ScalarStyle.Plain;
                    bool isNull = plain && (s.Value.Length == 0 || s.Value == "~" || s.Value == "null" || s.Value == "Null" || s.Value == "NULL");
                    return new Scalar { Line = line, Column = col, Value = isNull ? "" : s.Value, Plain = plain, IsNull = isNull };
                }
                if (parser.TryConsume<SequenceStart>(out _))
                {
                    var q = new Seq { Line = line, Column = col };
                    while (!parser.TryConsume<SequenceEnd>(out _)) q.Items.Add(ReadYamlNode(parser));
                    return q;
                }
                if (parser.TryConsume<MappingStart>(out _))
                {
                    var m = new Map { Line = line, Column = col };
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        var key = ReadYamlNode(parser);
                        var value = ReadYamlNode(parser);
                        if (!(key is Scalar ks) || ks.IsNull)
                        {
                            Problem(key, "a key must be a text (a name or a setting).");
                            continue;
                        }
                        m.Pairs.Add(new KeyValuePair<Scalar, Node>(ks, value));
                    }
                    return m;
                }
                throw Fatal(line, col, $"unexpected YAML ({ev.GetType().Name}).");
            }

            private static string Clean(string m)
            {
                m = m ?? "";
                int i = m.IndexOf("): ", StringComparison.Ordinal);
                if (m.StartsWith("(", StringComparison.Ordinal) && i > 0) m = m.Substring(i + 3);
                return m.TrimEnd('.');
            }

            // ---- JSON

            public Node ReadJson(string text)
            {
                JToken token;
                try
                {
                    using (var r = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Decimal })
                    {
                        token = JToken.ReadFrom(r, new JsonLoadSettings { DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error, LineInfoHandling = LineInfoHandling.Load });
                        if (r.Read()) throw Fatal(r.LineNumber, r.LinePosition, "more JSON follows the document; a desired-state file holds one object.");
                    }
                }
                catch (JsonReaderException ex)
                {
                    var message = ex.Message;
                    int cut = message.IndexOf(" Path '", StringComparison.Ordinal);
                    if (cut > 0) message = message.Substring(0, cut);
                    throw Fatal(Math.Max(1, ex.LineNumber), Math.Max(1, ex.LinePosition), $"not valid JSON: {message.TrimEnd('.')}.");
                }
                return FromJson(token);
            }

            private static Node FromJson(JToken t)
            {
                var li = (IJsonLineInfo)t;
                int line = li.HasLineInfo() ? li.LineNumber : 1, col = li.HasLineInfo() ? li.LinePosition : 1;
                switch (t)
                {
                    case JObject o:
                    {
                        var m = new Map { Line = line, Column = col };
                        foreach (var p in o.Properties())
                        {
                            var pl = (IJsonLineInfo)p;
                            var key = new Scalar { Value = p.Name, Line = pl.HasLineInfo() ? pl.LineNumber : line, Column = pl.HasLineInfo() ? pl.LinePosition : col };
                            m.Pairs.Add(new KeyValuePair<Scalar, Node>(key, FromJson(p.Value)));
                        }
                        return m;
                    }
                    case JArray a:
                    {
                        var q = new Seq { Line = line, Column = col };
                        foreach (var i in a) q.Items.Add(FromJson(i));
                        return q;
                    }
                    case JValue v:
                        if (v.Type == JTokenType.Null || v.Type == JTokenType.Undefined) return new Scalar { Line = line, Column = col, Value = "", Plain = true, IsNull = true };
                        if (v.Type == JTokenType.String) return new Scalar { Line = line, Column = col, Value = (string)v.Value };
                        if (v.Type == JTokenType.Boolean) return new Scalar { Line = line, Column = col, Value = (bool)v.Value ? "true" : "false", Plain = true };
                        return new Scalar { Line = line, Column = col, Value = Convert.ToString(v.Value, CultureInfo.InvariantCulture), Plain = true };
                    default:
                        return new Scalar { Line = line, Column = col, Value = t.ToString(), Plain = true };
                }
            }

            // ---- meaning

            private static string What(Node n) => n is Map ? "a mapping" : n is Seq ? "a list" : "a single value";

            public List<DesiredIdp> Interpret(Node root)
            {
                var result = new List<DesiredIdp>();
                if (!(root is Map top))
                {
                    Problem(root, $"the file holds {What(root)}; a desired-state file is a mapping with 'version: 1' and 'idps:'.");
                    return result;
                }
                Node version = null, idps = null;
                foreach (var kv in Unique(top, "top-level key"))
                {
                    switch (kv.Key.Value)
                    {
                        case "version": version = kv.Value; break;
                        case "idps": idps = kv.Value; break;
                        default:
                            Problem(kv.Key, $"unknown top-level key '{IdpRules.Printable(kv.Key.Value)}': a desired-state file has only 'version' and 'idps'.");
                            break;
                    }
                }
                if (version == null)
                    Problem(top, "there is no 'version' key: start the file with 'version: 1' (the format this ExternalIdp reads).");
                else if (!(version is Scalar vs) || vs.Value.Trim() != Version.ToString(CultureInfo.InvariantCulture))
                    Problem(version, $"version {(version is Scalar v2 ? "'" + IdpRules.Printable(v2.Value) + "'" : What(version))} is not one this ExternalIdp reads: write 'version: 1'.");
                if (idps == null)
                {
                    Problem(top, "there is no 'idps' key: list the IdPs under 'idps:' as a mapping of name → settings ('idps: {}' for none).");
                    return result;
                }
                if (idps is Scalar s && s.IsNull) return result;
                if (!(idps is Map map))
                {
                    Problem(idps, $"'idps' is {What(idps)}; it must be a mapping of IdP name → settings (idps:\\n  google:\\n    provider: google ...).");
                    return result;
                }
                var ids = new Dictionary<string, Scalar>(StringComparer.Ordinal);
                foreach (var kv in Unique(map, "IdP name"))
                {
                    var name = kv.Key.Value;
                    if (name.Trim().Length == 0 || name != name.Trim())
                    {
                        Problem(kv.Key, $"the IdP name '{IdpRules.Printable(name)}' is empty or has leading or trailing white space.");
                        continue;
                    }
                    var idp = ReadIdp(kv.Key, kv.Value);
                    if (idp == null) continue;
                    result.Add(idp);
                    if (ids.TryGetValue(idp.ProviderId, out var first))
                        Problem(kv.Key, $"the IdP '{IdpRules.Printable(name)}' has the provider id '{IdpRules.Printable(idp.ProviderId)}', which the IdP '{IdpRules.Printable(first.Value)}' (line {first.Line}) has too: Kratos uses only the first of two providers with one id. Give each IdP its own provider_id.");
                    else ids[idp.ProviderId] = kv.Key;
                }
                return result;
            }

            /// <summary>The pairs of a mapping, each key once: a repeated key is a problem (readers disagree about which one counts).</summary>
            private IEnumerable<KeyValuePair<Scalar, Node>> Unique(Map m, string what)
            {
                var seen = new Dictionary<string, Scalar>(StringComparer.Ordinal);
                foreach (var kv in m.Pairs)
                {
                    if (seen.TryGetValue(kv.Key.Value, out var first))
                    {
                        Problem(kv.Key, $"the {what} '{IdpRules.Printable(kv.Key.Value)}' appears twice (first at line {first.Line}, column {first.Column}): keep one.");
                        continue;
                    }
                    seen[kv.Key.Value] = kv.Key;
                    yield return kv;
                }
            }

            private DesiredIdp ReadIdp(Scalar nameNode, Node value)
            {
                var name = nameNode.Value;
                if (!(value is Map m))
                {
                    Problem(value, $"the IdP '{IdpRules.Printable(name)}' is {(value is Scalar sv && sv.IsNull ? "empty" : What(value))}; give its settings as a mapping (provider: ..., client_id: ...).");
                    return null;
                }
                var idp = new DesiredIdp(name, $"{_path}, line {nameNode.Line}, column {nameNode.Column}");
                foreach (var kv in Unique(m, $"setting of '{IdpRules.Printable(name)}' named"))
                {
                    var key = kv.Key.Value;
                    var setting = DesiredSettings.ByFileKey(key);
                    if (setting != null)
                    {
                        ReadSetting(idp, setting, kv.Key, kv.Value);
                        continue;
                    }
                    if (DesiredSettings.ExtraKeys.Contains(key))
                    {
                        var extra = ReadExtra(key, kv.Value);
                        if (extra != null) idp.Extras[key] = extra;
                        continue;
                    }
                    Problem(kv.Key, $"unknown setting '{IdpRules.Printable(key)}' in the IdP '{IdpRules.Printable(name)}'.{Hint(key)} Settings: {string.Join(", ", DesiredSettings.All.Select(x => x.Name))}; Kratos keys without a parameter: {string.Join(", ", DesiredSettings.ExtraKeys.OrderBy(x => x, StringComparer.Ordinal))}.");
                }
                return idp;
            }

            private static string Hint(string key)
            {
                var asKratos = DesiredSettings.NameOfKratosKey(key);
                if (asKratos != null && asKratos != key) return $" A desired-state file calls Kratos's '{key}' '{asKratos}'.";
                var near = DesiredSettings.ByAnyName(key);
                if (near != null) return $" Did you mean '{near.Name}'?";
                return "";
            }

            private void ReadSetting(DesiredIdp idp, DesiredSetting setting, Scalar keyNode, Node value)
            {
                switch (setting.Shape)
                {
                    case DesiredShape.Text:
                        if (!(value is Scalar t)) { Problem(value, $"'{setting.Name}' of '{IdpRules.Printable(idp.Name)}' is {What(value)}; it takes one text value."); return; }
                        var text = t.Value;
                        if (setting.IsAlternative) text = text.Replace("\r\n", "\n");
                        setting.Set(idp.Settings, text);
                        return;
                    case DesiredShape.List:
                        if (value is Scalar n && n.IsNull) { setting.Set(idp.Settings, new string[0]); return; }
                        if (!(value is Seq q)) { Problem(value, $"'{setting.Name}' of '{IdpRules.Printable(idp.Name)}' is {What(value)}; it takes a list ({setting.Name}: [email, profile], or one item per line starting with '- ')."); return; }
                        var items = new List<string>();
                        foreach (var i in q.Items)
                        {
                            if (i is Scalar si && !si.IsNull) items.Add(si.Value);
                            else Problem(i, $"an item of '{setting.Name}' of '{IdpRules.Printable(idp.Name)}' is {(i is Scalar ? "empty" : What(i))}; each item is one text.");
                        }
                        setting.Set(idp.Settings, items.ToArray());
                        return;
                    case DesiredShape.Secret:
                        if (!(value is Scalar sn) || sn.IsNull || sn.Value.Trim().Length == 0)
                        {
                            Problem(value, $"'{setting.Name}' of '{IdpRules.Printable(idp.Name)}' must name a secret ({setting.Name}: {IdpRules.Printable(idp.Name)}), whose value -Secret or -Vault gives; a desired-state file never holds a secret's value.");
                            return;
                        }
                        idp.SecretNames[setting.Name] = sn.Value.Trim();
                        return;
                }
            }

            private object ReadExtra(string key, Node value)
            {
                if (value is Scalar n && n.IsNull)
                {
                    Problem(value, $"'{key}' is empty: give its value, or leave the key out.");
                    return null;
                }
                var type = DesiredSettings.ExtraField(key)?.Type;
                if (type == FieldType.Json)
                {
                    if (!(value is Map)) { Problem(value, $"'{key}' is {What(value)}; Kratos takes a mapping there."); return null; }
                    return Plain(value);
                }
                if (type == FieldType.List)
                {
                    if (!(value is Seq q) || q.Items.Any(i => !(i is Scalar s) || s.IsNull)) { Problem(value, $"'{key}' must be a list of texts."); return null; }
                    return q.Items.Select(i => (object)((Scalar)i).Value).ToList();
                }
                if (!(value is Scalar t)) { Problem(value, $"'{key}' is {What(value)}; Kratos takes one text value there."); return null; }
                return t.Value;
            }

            /// <summary>A value as it is (for keys without a parameter): texts, true/false written plain as booleans, null, lists, mappings.</summary>
            private object Plain(Node n)
            {
                switch (n)
                {
                    case Scalar s:
                        if (s.IsNull) return null;
                        if (s.Plain && (s.Value == "true" || s.Value == "false")) return s.Value == "true";
                        return s.Value;
                    case Seq q:
                        return q.Items.Select(Plain).ToList();
                    case Map m:
                    {
                        var d = new Dictionary<string, object>(StringComparer.Ordinal);
                        foreach (var kv in Unique(m, "key")) d[kv.Key.Value] = Plain(kv.Value);
                        return d;
                    }
                    default:
                        return null;
                }
            }
        }
    }
}
