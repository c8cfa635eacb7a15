using System;
using System.Collections.Generic;
using System.Linq;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>
    /// Plans the text edits of one document that add, change or remove a provider entry, creating
    /// the path to the providers list and switching the OIDC method on where an Add needs it.
    /// The edits are applied and checked by ChangeCheck.
    /// </summary>
    internal sealed class ProviderListEdits
    {
        private static string[] Chain => KratosConfigDocument.Chain;
        private const int OidcLevel = KratosConfigDocument.OidcLevel;

        private readonly KratosConfigDocument _doc;
        private readonly DocumentEditor _ed;

        public ProviderListEdits(KratosConfigDocument doc)
        {
            _doc = doc;
            _ed = new DocumentEditor(doc);
        }

        private string Text => _doc.Text;
        private string NL => _doc.NL;
        private bool Json => _doc.Json;

        /// <summary>Edits that append entry (and create what's missing, switch oidc on). enabledNote says what changed about 'enabled'.</summary>
        public List<TextEdit> ToAdd(RMap entry, out string enabledNote)
        {
            RequireEditable();
            var edits = new List<TextEdit>();
            var pending = new Dictionary<YMapping, RMap>();
            var pendingLevel = new Dictionary<YMapping, int>();
            void Pend(YMapping m, int level, string k, object v)
            {
                if (!pending.TryGetValue(m, out var r)) { pending[m] = r = new RMap(); pendingLevel[m] = level; }
                r.Add(k, v);
            }
            enabledNote = null;
            bool enabledInChain = false;
            if (_doc.Providers != null)
            {
                edits.Add(AppendItem(entry));
            }
            else
            {
                int L = _doc.StopLevel;
                object value = new[] { entry };
                for (int i = Chain.Length - 1; i > L; i--)
                {
                    var m = new RMap();
                    if (i == OidcLevel) { m.Add("enabled", true); enabledInChain = true; }
                    m.Add(Chain[i], value);
                    value = m;
                }
                var container = _doc.Containers[L];
                var (holder, holderPair, holderLevel) = L == 0 ? (_doc.KRootParent, _doc.KRootPair, -1) : (_doc.Containers[L - 1], _doc.Pairs[L - 1], L - 1);
                if (_doc.Pairs[L] == null && container.Flow && container.Pairs.Count == 0 && !Json && holder != null && !holder.Flow && holderPair != null)
                {
                    // `key: {}` in a block file: write the new keys in block style instead of the braces.
                    var inner = new RMap();
                    if (L == OidcLevel) { inner.Add("enabled", true); enabledInChain = true; enabledNote = ConfigFileMessages.EnabledSetInEmptyOidc; }
                    edits.Add(_ed.ReplaceValue(holder, holderPair, inner.Add(Chain[L], value), _ed.BaseLayout(holder, Math.Max(0, holderLevel))));
                }
                else if (_doc.Pairs[L] == null) Pend(container, L, Chain[L], value);
                else edits.Add(_ed.ReplaceValue(container, _doc.Pairs[L], value, _ed.BaseLayout(container, L)));
                if (L <= 1) enabledNote = ConfigFileMessages.OidcCreated;
                else if (L == 2) enabledNote = ConfigFileMessages.OidcCreatedUnconfigured;
            }
            if (!enabledInChain && _doc.Oidc != null)
            {
                var en = _doc.Oidc.FindAll("enabled");
                if (en.Count > 1) throw _doc.Unsupported(ConfigFileMessages.DuplicateEnabled(en.Count));
                if (en.Count == 0)
                {
                    Pend(_doc.Oidc, OidcLevel, "enabled", true);
                    enabledNote = ConfigFileMessages.EnabledAdded;
                }
                else if (!_doc.OidcEnabled)
                {
                    var ev = en[0].Value;
                    if (ev.HasAnchorOrTag || ev is YAlias) throw _doc.Unsupported(ConfigFileMessages.EnabledHasAnchorOrTag(ev.Line));
                    edits.Add(_ed.ReplaceValue(_doc.Oidc, en[0], true, _ed.BaseLayout(_doc.Oidc, OidcLevel)));
                    enabledNote = ConfigFileMessages.EnabledSwitchedOn((ev as YScalar)?.Value ?? "?");
                }
            }
            // Deeper insertions first, so that at a shared point the nested text precedes the outer key.
            foreach (var kv in pending.OrderByDescending(k => pendingLevel[k.Key]))
                edits.Add(_ed.InsertPairs(kv.Key, kv.Value, _ed.BaseLayout(kv.Key, pendingLevel[kv.Key])));
            return edits;
        }

        private void RequireEditable()
        {
            if (_doc.EditProblem != null) throw _doc.Unsupported(_doc.EditProblem);
            if (_doc.Providers != null && (_doc.Providers.HasAnchorOrTag))
                throw _doc.Unsupported(ConfigFileMessages.ProvidersAnchorOrTag(_doc.Providers.Line));
        }

        private TextEdit AppendItem(RMap entry)
        {
            var seq = _doc.Providers;
            var l = _ed.BaseLayout(_doc.OidcConfig, OidcLevel + 1);
            if (seq.Flow || Json)
            {
                if (seq.Items.Count == 0)
                {
                    var pair = _doc.Pairs[Chain.Length - 1];
                    if (!Json && !_doc.OidcConfig.Flow)
                        return _ed.ReplaceValue(_doc.OidcConfig, pair, new[] { entry }, l);
                    int baseIndent = _ed.LeadingSpaces(seq.Start);
                    return new TextEdit(seq.Start, seq.End, Render.Flow(new[] { entry }, baseIndent, Json, l));
                }
                var last = seq.Items[seq.Items.Count - 1];
                bool multi = last.Line != seq.Line;
                int col = multi ? YamlText.Col(Text, last.Start) : 0;
                var ml = l.Clone();
                bool itemMulti = Json && last is YMapping lm && lm.Pairs.Count > 0 && lm.Pairs[0].Key.Line != lm.Line;
                if (itemMulti) ml.Step = YamlText.Col(Text, ((YMapping)last).Pairs[0].Key.Start) - col;
                var sep = multi ? "," + NL + YamlText.Spaces(col) : ", ";
                return new TextEdit(last.End, last.End, sep + Render.Flow(entry, col, itemMulti, ml));
            }
            // Block list: follow the last mapping item's dash/key columns.
            var model = seq.Items.OfType<YMapping>().LastOrDefault(m => !m.Flow && m.Pairs.Count > 0);
            int dashCol, keyCol;
            bool bare;
            if (model != null)
            {
                int dash = _ed.DashOf(model);
                dashCol = YamlText.Col(Text, dash);
                keyCol = YamlText.Col(Text, model.Start);
                bare = Text.IndexOf('\n', dash, model.Start - dash) >= 0; // the mapping starts on a line of its own
                if (!bare && keyCol <= dashCol) keyCol = dashCol + 2;
            }
            else
            {
                dashCol = YamlText.Col(Text, seq.Start);
                keyCol = dashCol + 2;
                bare = false;
            }
            // Entries separated by blank lines get one too.
            bool blank = seq.Items.Count >= 2 && _ed.BlankLineBefore(_ed.DashOf(seq.Items[seq.Items.Count - 1]));
            int at = YamlText.LineEnd(Text, seq.End);
            return new TextEdit(at, at, (blank ? NL : "") + NL + Render.BlockItem(entry, dashCol, keyCol, bare, l));
        }

        /// <summary>Edits that remove item (leaving providers: [] when it is the last one).</summary>
        public List<TextEdit> ToRemove(YNode item)
        {
            RequireEditable();
            var seq = _doc.Providers;
            int idx = seq.Items.IndexOf(item);
            if (seq.Items.Count == 1)
            {
                if (seq.Flow || Json) return new List<TextEdit> { new TextEdit(seq.Start, seq.End, "[]") };
                var pair = _doc.Pairs[Chain.Length - 1];
                int colon = _ed.ColonAfter(pair.Key);
                return new List<TextEdit> { new TextEdit(colon + 1, YamlText.LineEnd(Text, item.End), " []") };
            }
            if (seq.Flow || Json)
            {
                if (idx < seq.Items.Count - 1) return new List<TextEdit> { new TextEdit(item.Start, seq.Items[idx + 1].Start, "") };
                return new List<TextEdit> { new TextEdit(seq.Items[idx - 1].End, item.End, "") };
            }
            int dash = _ed.DashOf(item);
            if (!YamlText.OnlySpacesBefore(Text, dash))
                throw _doc.Unsupported(ConfigFileMessages.EntryNotOnItsOwnLine(item.Line));
            int from = YamlText.LineStart(Text, dash);
            // An entry set off by a blank line takes it along (not the first one: its blank line leads the list).
            if (idx > 0 && _ed.BlankLineBefore(dash)) from = YamlText.LineStart(Text, from - 1);
            return new List<TextEdit> { _ed.DeleteLines(from, YamlText.NextLineStart(Text, item.End)) };
        }

        /// <summary>Edits that apply changes (key → new value, null = remove) to entry m, key by key.</summary>
        public List<TextEdit> ToSet(YMapping m, IList<KeyValuePair<string, object>> changes)
        {
            RequireEditable();
            var l = _ed.BaseLayout(_doc.OidcConfig, OidcLevel + 1, m);
            var edits = new List<TextEdit>();
            var newPairs = new RMap();
            foreach (var c in changes)
            {
                var found = m.FindAll(c.Key);
                if (found.Count > 1) throw _doc.Unsupported(ConfigFileMessages.DuplicateKeyInEntry(m.Line, c.Key, found.Count));
                if (found.Count == 0)
                {
                    if (c.Value != null) newPairs.Add(c.Key, c.Value);
                    continue;
                }
                if (c.Value == null) edits.Add(_ed.DeletePair(m, found[0]));
                else edits.Add(_ed.ReplaceValue(m, found[0], c.Value, l));
            }
            if (newPairs.Pairs.Count > 0)
            {
                // Insert after the last key that stays (deleted trailing keys lie on later lines).
                var deleted = new HashSet<string>(changes.Where(c => c.Value == null).Select(c => c.Key), StringComparer.Ordinal);
                var keep = m.Pairs.LastOrDefault(p => !deleted.Contains(p.KeyText ?? ""));
                if (keep == null) throw _doc.Unsupported(ConfigFileMessages.CantRewriteEntry(m.Line));
                if (m.Flow || Json)
                {
                    var ins = _ed.InsertPairs(m, newPairs, l);
                    if (keep != m.Pairs[m.Pairs.Count - 1])
                    {
                        // Insert after the kept pair instead of the (deleted) last one.
                        ins = new TextEdit(DocumentEditor.PairEnd(keep), DocumentEditor.PairEnd(keep), ins.Text);
                    }
                    edits.Add(ins);
                }
                else
                {
                    int at = YamlText.LineEnd(Text, DocumentEditor.PairEnd(keep));
                    edits.Add(new TextEdit(at, at, NL + Render.BlockPairs(newPairs, _ed.KeyCol(m), l)));
                }
            }
            return edits;
        }
    }
}
