using System;
using System.Collections.Generic;
using System.Linq;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>
    /// The check before every write: the planned edits are applied, and the whole new text is parsed
    /// again and compared with what was intended (the original document with the new providers list,
    /// untouched entries byte-identical). Text that would not read back so is refused.
    /// </summary>
    internal static class ChangeCheck
    {
        /// <summary>Applies the planned edits to doc's text and verifies the result: the document as it will be written.</summary>
        public static KratosConfigDocument Apply(KratosConfigDocument doc, PlannedChange change)
        {
            string newText;
            try { newText = Render.Apply(doc.Text, change.Edits); }
            catch (InvalidOperationException)
            {
                throw Refused(doc, "the changes overlap");
            }
            return Verify(doc, newText, change.Slots, change.Enable);
        }

        private static ExternalIdpException Refused(KratosConfigDocument doc, string why)
            => new ExternalIdpException(ErrorIds.ConfigFileUnsupported, ErrorKind.InvalidData, ConfigFileMessages.NotChanged(doc.Path, why), doc.Path);

        /// <summary>
        /// The document newText reads as, when it is orig with the providers list given by slots (and
        /// selfservice.methods.oidc.enabled true when enable is set) and every untouched entry is
        /// byte-identical; otherwise KratosConfigFileUnsupported, and nothing is written.
        /// </summary>
        public static KratosConfigDocument Verify(KratosConfigDocument orig, string newText, List<Slot> slots, bool enable)
        {
            KratosConfigDocument nd;
            try
            {
                var y = YamlTreeReader.Parse(newText);
                nd = new KratosConfigDocument(orig.Path, orig.ConfigRoot, newText, orig.Json, y);
            }
            catch (Exception ex) when (ex is YamlDotNet.Core.YamlException || ex is ExternalIdpException)
            {
                throw Refused(orig, "the edited text would not read back as a valid config");
            }
            // (a) the whole document means what was intended: the original with the new providers list.
            // Untouched entries whose text and column are the same in both, and whose value follows
            // from their text alone, stand for themselves instead of being turned into values on both
            // sides: (b) below checks their text. Any other entry is compared by value.
            var same = UntouchedSpans(orig, nd, slots);
            object expected, actual;
            if (same == null)
            {
                expected = orig.Plain(orig.Doc.Root);
                ProvidersHolder(expected, orig.ConfigRoot, enable)["providers"] = slots.Select(s => s.Orig != null ? orig.Plain(s.Orig) : s.Intended).ToList();
                actual = nd.Plain(nd.Doc.Root);
            }
            else
            {
                var marks = slots.Select(_ => new object()).ToArray();
                expected = orig.Plain(orig.Doc.Root, 0, orig.Providers);
                ProvidersHolder(expected, orig.ConfigRoot, enable)["providers"] = slots.Select((s, i) => same[i] ? marks[i] : s.Orig != null ? orig.Plain(s.Orig) : s.Intended).ToList();
                actual = nd.Plain(nd.Doc.Root, 0, nd.Providers);
                // nd.Providers sits at the providers path of nd (no aliases): put the list there.
                ProvidersHolder(actual, nd.ConfigRoot, false)["providers"] = nd.Items.Select((n, i) => same[i] ? marks[i] : nd.Plain(n)).ToList();
            }
            if (!EntryValues.PlainEquals(expected, actual))
                throw Refused(orig, "the edited file would not read back as intended");
            // (b) entries that were not touched are byte-identical.
            if (nd.Items.Count != slots.Count) throw Refused(orig, "the providers list would not read back as intended");
            for (int i = 0; i < slots.Count; i++)
            {
                var o = slots[i].Orig;
                if (o == null) continue;
                var n = nd.Items[i];
                if (string.CompareOrdinal(orig.Text, o.Start, newText, n.Start, Math.Max(o.End - o.Start, n.End - n.Start)) != 0 || o.End - o.Start != n.End - n.Start)
                    throw Refused(orig, "an entry that should stay unchanged would change");
            }
            return nd;
        }

        /// <summary>The mapping that holds (or should hold) "providers" in a plain document, created where missing.</summary>
        private static Dictionary<string, object> ProvidersHolder(object plainRoot, string configRoot, bool enable)
        {
            var cur = plainRoot as Dictionary<string, object>;
            if (!string.IsNullOrEmpty(configRoot))
                foreach (var seg in configRoot.Split('.')) cur = (Dictionary<string, object>)cur[seg];
            for (int i = 0; i < KratosConfigDocument.Chain.Length - 1; i++)
            {
                var k = KratosConfigDocument.Chain[i];
                if (!cur.TryGetValue(k, out var next) || !(next is Dictionary<string, object>)) cur[k] = next = new Dictionary<string, object>(StringComparer.Ordinal);
                cur = (Dictionary<string, object>)next;
                if (i + 1 == KratosConfigDocument.OidcLevel && enable) cur["enabled"] = new YamlText.Typed("bool", "true");
            }
            return cur;
        }

        /// <summary>
        /// For each slot, whether it is an untouched entry with the same text at the same column in
        /// both documents and a value that follows from that text alone; null when the documents
        /// hold anchors or aliases, or the providers lists differ in style or length (then every
        /// entry is compared by value).
        /// </summary>
        private static bool[] UntouchedSpans(KratosConfigDocument orig, KratosConfigDocument nd, List<Slot> slots)
        {
            if (orig.Doc.HasAliases || orig.Doc.Anchors.Count > 0 || nd.Doc.HasAliases || nd.Doc.Anchors.Count > 0) return null;
            if (orig.Providers == null || nd.Providers == null || orig.Providers.Flow != nd.Providers.Flow || nd.Items.Count != slots.Count) return null;
            var same = new bool[slots.Count];
            for (int i = 0; i < slots.Count; i++)
            {
                var o = slots[i].Orig;
                if (o == null) continue;
                var n = nd.Items[i];
                same[i] = o.Column == n.Column && o.End - o.Start == n.End - n.Start
                    && string.CompareOrdinal(orig.Text, o.Start, nd.Text, n.Start, o.End - o.Start) == 0
                    && KratosConfigDocument.ValueFromTextAlone(o);
            }
            return same;
        }
    }
}
