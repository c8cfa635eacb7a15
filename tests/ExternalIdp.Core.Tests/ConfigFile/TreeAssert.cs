using System;
using System.IO;
using ExternalIdp.Core.ConfigFile;

namespace ExternalIdp.Core.Tests.ConfigFile
{
    /// <summary>Compares parse trees field by field, and the remembered tree of a file with a fresh parse of it.</summary>
    internal static class TreeAssert
    {
        /// <summary>Where two trees first differ (null when they are the same in every field).</summary>
        public static string Difference(YDocument expected, YDocument actual)
        {
            if (!string.Equals(expected.Text, actual.Text, StringComparison.Ordinal)) return "(text)";
            if (expected.DocumentCount != actual.DocumentCount || expected.SecondDocumentLine != actual.SecondDocumentLine
                || expected.HasAliases != actual.HasAliases || expected.Anchors.Count != actual.Anchors.Count) return "(document)";
            foreach (var kv in expected.Anchors)
                if (!actual.Anchors.TryGetValue(kv.Key, out var other) || other.Start != kv.Value.Start) return "(anchor " + kv.Key + ")";
            return Difference(expected.Root, actual.Root, "");
        }

        private static string Difference(YNode e, YNode a, string at)
        {
            if (e == null || a == null) return e == a ? null : at + ": one side is missing";
            if (e.GetType() != a.GetType()) return $"{at}: {e.GetType().Name} vs {a.GetType().Name}";
            if (e.Start != a.Start || e.End != a.End || e.Line != a.Line || e.Column != a.Column)
                return $"{at}: span {e.Start}-{e.End} line {e.Line} column {e.Column} vs {a.Start}-{a.End} line {a.Line} column {a.Column}";
            if (e.Anchor != a.Anchor || e.Tag != a.Tag || e.Flow != a.Flow) return at + ": anchor, tag or style";
            switch (e)
            {
                case YScalar s:
                    var t = (YScalar)a;
                    return s.Value == t.Value && s.Style == t.Style ? null : $"{at}: value '{s.Value}' ({s.Style}) vs '{t.Value}' ({t.Style})";
                case YAlias al:
                    return al.Name == ((YAlias)a).Name ? null : at + ": alias";
                case YMapping m:
                {
                    var n = (YMapping)a;
                    if (m.Pairs.Count != n.Pairs.Count) return $"{at}: {m.Pairs.Count} vs {n.Pairs.Count} keys";
                    for (int i = 0; i < m.Pairs.Count; i++)
                    {
                        var d = Difference(m.Pairs[i].Key, n.Pairs[i].Key, $"{at}/key{i}") ?? Difference(m.Pairs[i].Value, n.Pairs[i].Value, $"{at}/{m.Pairs[i].KeyText}");
                        if (d != null) return d;
                    }
                    return null;
                }
                case YSequence q:
                {
                    var r = (YSequence)a;
                    if (q.Items.Count != r.Items.Count) return $"{at}: {q.Items.Count} vs {r.Items.Count} items";
                    for (int i = 0; i < q.Items.Count; i++)
                    {
                        var d = Difference(q.Items[i], r.Items[i], $"{at}[{i}]");
                        if (d != null) return d;
                    }
                    return null;
                }
                default:
                    return at + ": unknown node";
            }
        }

        /// <summary>
        /// When a tree is remembered for the file's current text, it must be exactly what parsing
        /// that text gives (throws otherwise). True when one is remembered.
        /// </summary>
        public static bool RememberedTreeIsFaithful(string path)
        {
            var remembered = ParsedDocuments.Peek(path);
            if (remembered == null) return false;
            var bytes = File.ReadAllBytes(path);
            bool bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
            var text = new System.Text.UTF8Encoding(false, true).GetString(bytes, bom ? 3 : 0, bytes.Length - (bom ? 3 : 0));
            if (!string.Equals(remembered.Text, text, StringComparison.Ordinal)) return false;
            var d = Difference(YamlTreeReader.Parse(text), remembered);
            if (d != null) throw new Exception($"the tree remembered for {path} differs from a parse of the file: {d}");
            return true;
        }
    }
}
