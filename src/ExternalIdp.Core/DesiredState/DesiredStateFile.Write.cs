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
    /// <summary>Writing a desired-state file (Export-KratosIdp): its text, YAML or JSON, and the file.</summary>
    public static partial class DesiredStateFile
    {

        /// <summary>The text of a desired-state file (YAML, or JSON) holding these IdPs.</summary>
        public static string Render(IEnumerable<DesiredIdp> idps, bool json, string header = null)
            => json ? RenderJson(idps) : RenderYaml(idps, header);

        /// <summary>The settings of an IdP in the order they are written: (key, value) with value string, string[], a secret's name, or an extra's value.</summary>
        private static IEnumerable<KeyValuePair<string, object>> Entries(DesiredIdp idp)
        {
            foreach (var s in DesiredSettings.All)
            {
                if (s.Shape == DesiredShape.Secret)
                {
                    if (idp.SecretNames.TryGetValue(s.Name, out var n)) yield return new KeyValuePair<string, object>(s.Name, n);
                    continue;
                }
                var v = s.Get(idp.Settings);
                if (v != null) yield return new KeyValuePair<string, object>(s.Name, v);
            }
            foreach (var kv in idp.Extras.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                yield return kv;
        }

        private static string RenderYaml(IEnumerable<DesiredIdp> idps, string header)
        {
            var sb = new StringBuilder();
            if (!string.IsNullOrEmpty(header))
                foreach (var line in header.Replace("\r\n", "\n").Split('\n')) sb.Append("# ").Append(line).Append('\n');
            sb.Append("version: ").Append(Version.ToString(CultureInfo.InvariantCulture)).Append('\n');
            var list = idps.ToList();
            if (list.Count == 0) { sb.Append("idps: {}\n"); return sb.ToString(); }
            sb.Append("idps:\n");
            foreach (var idp in list)
            {
                sb.Append("  ").Append(YamlScalar(idp.Name)).Append(":\n");
                foreach (var kv in Entries(idp)) YamlPair(sb, 4, kv.Key, kv.Value);
            }
            return sb.ToString();
        }

        private static void YamlPair(StringBuilder sb, int indent, string key, object value)
        {
            sb.Append(' ', indent).Append(YamlScalar(key)).Append(':');
            switch (value)
            {
                case null: sb.Append(" null\n"); return;
                case string s: sb.Append(' ').Append(YamlScalar(s)).Append('\n'); return;
                case bool b: sb.Append(b ? " true\n" : " false\n"); return;
                case IDictionary<string, object> d:
                    if (d.Count == 0) { sb.Append(" {}\n"); return; }
                    sb.Append('\n');
                    foreach (var kv in d) YamlPair(sb, indent + 2, kv.Key, kv.Value);
                    return;
                case System.Collections.IEnumerable e:
                    var items = e.Cast<object>().ToList();
                    if (items.Count == 0) { sb.Append(" []\n"); return; }
                    sb.Append('\n');
                    foreach (var i in items)
                    {
                        if (i is IDictionary<string, object> im && im.Count > 0)
                        {
                            // "- " then the mapping's keys, the first on the dash line.
                            bool first = true;
                            foreach (var kv in im)
                            {
                                var one = new StringBuilder();
                                YamlPair(one, indent + 4, kv.Key, kv.Value);
                                var text = one.ToString();
                                if (first) { sb.Append(' ', indent + 2).Append("- ").Append(text.Substring(indent + 4)); first = false; }
                                else sb.Append(text);
                            }
                        }
                        else sb.Append(' ', indent + 2).Append("- ").Append(i is bool ib ? (ib ? "true" : "false") : i == null ? "null" : YamlScalar(i as string ?? Convert.ToString(i, CultureInfo.InvariantCulture))).Append('\n');
                    }
                    return;
                default:
                    sb.Append(' ').Append(YamlScalar(Convert.ToString(value, CultureInfo.InvariantCulture))).Append('\n');
                    return;
            }
        }

        /// <summary>A text as YAML: plain when every YAML reader reads it back as the same text, else double-quoted.</summary>
        private static string YamlScalar(string s)
            => s.Length > 0 && YamlPlainScalars.IsSafe(s, inFlow: true) ? s : JsonConvert.ToString(s);

        private static string RenderJson(IEnumerable<DesiredIdp> idps)
        {
            var sw = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
            using (var w = new JsonTextWriter(sw) { Formatting = Formatting.Indented, Indentation = 2 })
            {
                w.WriteStartObject();
                w.WritePropertyName("version");
                w.WriteValue(Version);
                w.WritePropertyName("idps");
                w.WriteStartObject();
                foreach (var idp in idps)
                {
                    w.WritePropertyName(idp.Name);
                    w.WriteStartObject();
                    foreach (var kv in Entries(idp))
                    {
                        w.WritePropertyName(kv.Key);
                        JsonValue(w, kv.Value);
                    }
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }
            return sw.ToString() + "\n";
        }

        private static void JsonValue(JsonWriter w, object v)
        {
            switch (v)
            {
                case null: w.WriteNull(); return;
                case string s: w.WriteValue(s); return;
                case bool b: w.WriteValue(b); return;
                case IDictionary<string, object> d:
                    w.WriteStartObject();
                    foreach (var kv in d) { w.WritePropertyName(kv.Key); JsonValue(w, kv.Value); }
                    w.WriteEndObject();
                    return;
                case System.Collections.IEnumerable e:
                    w.WriteStartArray();
                    foreach (var i in e) JsonValue(w, i);
                    w.WriteEndArray();
                    return;
                default:
                    w.WriteValue(Convert.ToString(v, CultureInfo.InvariantCulture));
                    return;
            }
        }

        /// <summary>
        /// Writes text to path through a temp file beside it and a rename, so that a reader never sees
        /// half a file and a failure leaves the old file (or none) as it was.
        /// </summary>
        public static void Write(string path, string text)
        {
            var full = Path.GetFullPath(path);
            var dir = Path.GetDirectoryName(full);
            if (!Directory.Exists(dir))
                throw new ExternalIdpException(ErrorIds.DesiredStateFileError, ErrorKind.WriteError,
                    $"Can't write the desired-state file {path}: the folder {dir} does not exist. Create it, or give another -Path.", path);
            var temp = Path.Combine(dir, "." + Path.GetFileName(full) + ".tmp-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            try
            {
                File.WriteAllText(temp, text, new UTF8Encoding(false));
                if (File.Exists(full)) File.Replace(temp, full, null);
                else File.Move(temp, full);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ExternalIdpException(ErrorIds.DesiredStateFileError, ErrorKind.WriteError,
                    $"Can't write the desired-state file {path}: {ex.Message} Check that you may write to it and to its folder.", path, ex);
            }
            finally
            {
                try { if (File.Exists(temp)) File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }
}
