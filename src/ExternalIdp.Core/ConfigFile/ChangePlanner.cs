using System;
using System.Collections.Generic;
using System.Linq;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>One providers item after a change: an untouched original, or an intended plain value.</summary>
    internal sealed class Slot
    {
        public YNode Orig;
        public object Intended;
    }

    /// <summary>What a change does to one read of the file: its text edits, and the providers list they must give.</summary>
    internal sealed class PlannedChange
    {
        public List<TextEdit> Edits;
        public List<Slot> Slots;
        /// <summary>selfservice.methods.oidc.enabled must read true afterwards.</summary>
        public bool Enable;
        /// <summary>What the change did to 'enabled' (a verbose note), or null.</summary>
        public string Note;
    }

    /// <summary>What Set changes in one entry, decided on one read of the file.</summary>
    internal sealed class SetPlan
    {
        public YMapping Entry;
        /// <summary>The real changes (key → new value, null = remove), in the order keys are written.</summary>
        public List<KeyValuePair<string, SettingValue>> Changes;
        /// <summary>The entry as it is, and as it will be.</summary>
        public ProviderEntry Existing, Result;
        /// <summary>Keys removed because the new provider kind doesn't take them.</summary>
        public List<string> Dropped;
        public ProviderKind OldKind, NewKind;
        /// <summary>The new provider id, or null when it stays.</summary>
        public string NewId;
    }

    /// <summary>
    /// Decides what Add, Set and Remove do to the providers list of one read of the file: finds the
    /// entry, refuses what can't be done (a taken or missing id, an entry that can't be edited, a
    /// setting the provider kind refuses), and plans the text edits with ProviderListEdits.
    /// </summary>
    internal static class ChangePlanner
    {
        /// <summary>The edits that append entry; the caller has checked the id with CheckAddable (and the release) first.</summary>
        public static PlannedChange Add(KratosConfigDocument doc, ProviderEntry entry, FieldTable fields)
        {
            var edits = new ProviderListEdits(doc).ToAdd(EntryValues.ToRMap(entry, fields), out var note);
            var slots = doc.Items.Select(i => new Slot { Orig = i }).ToList();
            slots.Add(new Slot { Intended = EntryValues.PlainOf(entry) });
            return new PlannedChange { Edits = edits, Slots = slots, Enable = true, Note = note };
        }

        public static PlannedChange Remove(KratosConfigDocument doc, string name)
        {
            var item = FindEntry(doc, name);
            var edits = new ProviderListEdits(doc).ToRemove(item);
            var slots = doc.Items.Where(i => i != item).Select(i => new Slot { Orig = i }).ToList();
            return new PlannedChange { Edits = edits, Slots = slots };
        }

        /// <summary>KratosIdpAlreadyExists when an entry of doc has the provider id id.</summary>
        public static void CheckAddable(KratosConfigDocument doc, string id)
        {
            var same = doc.Items.FirstOrDefault(i => doc.IdOf(i) == id);
            if (same != null)
                throw new ExternalIdpException(ErrorIds.IdpAlreadyExists, ErrorKind.ResourceExists, ConfigFileMessages.AlreadyExists(id, doc.Description, same.Line), id);
        }

        /// <summary>What changes in the entry name; no Changes when it already has these settings.</summary>
        public static SetPlan Set(KratosConfigDocument doc, string name, IdpRequest s, FieldTable fields)
        {
            var item = FindEntry(doc, name);
            if (!(item is YMapping m))
                throw new ExternalIdpException(ErrorIds.ConfigFileUnsupported, ErrorKind.InvalidData, ConfigFileMessages.EntryNotAMapping(name, item.Line, doc.Path), name);
            if (KratosConfigDocument.HasSpecial(m))
                throw new ExternalIdpException(ErrorIds.ConfigFileUnsupported, ErrorKind.InvalidData, ConfigFileMessages.EntryHasAnchorsOrTags(name, m.Line, doc.Path), name);
            var existing = doc.Entry(m);
            var oldProvider = existing.ScalarText(FieldTable.Provider.Key);
            ProviderCatalog.TryGetExact(oldProvider, out var oldKind);
            if (oldKind == null && s.Kind == null)
                throw new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidData, ConfigFileMessages.UnknownProviderKind(name, oldProvider), name);
            var newKind = s.Kind ?? oldKind;
            var changes = IdpRules.Changes(existing, oldKind, newKind, s, out var dropped);
            var result = IdpRules.Apply(existing, changes);

            var problems = IdpProblems.OfKind(newKind, result);
            if (newKind == oldKind)
            {
                var before = new HashSet<string>(IdpProblems.OfKind(oldKind, existing));
                problems = problems.Where(p => !before.Contains(p)).ToList();
            }
            foreach (var f in fields.Rows.Where(f => f.RequiredByKratos))
                if (existing[f] != null && result[f] == null)
                    problems.Add(RuleMessages.KratosRequires(f));
            if (problems.Count > 0)
                throw new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument, string.Join(" ", problems), name);

            string newId = null;
            if (s.ProviderId != null && s.ProviderId != name)
            {
                newId = s.ProviderId;
                var other = doc.Items.FirstOrDefault(i => doc.IdOf(i) == newId);
                if (other != null)
                    throw new ExternalIdpException(ErrorIds.IdpAlreadyExists, ErrorKind.ResourceExists, ConfigFileMessages.RenameTaken(name, newId, other.Line, doc.Path), name);
            }
            // Keep only real changes, in the order keys are written.
            var effective = changes
                .Where(c => !(existing.Contains(c.Key) && c.Value != null && EntryValues.PlainEquals(existing[c.Key]?.ToPlain(), c.Value.ToPlain())))
                .Where(c => !(c.Value == null && !existing.Contains(c.Key)))
                .OrderBy(c => fields.OrderOf(c.Key))
                .ToList();
            return new SetPlan { Entry = m, Changes = effective, Existing = existing, Result = result, Dropped = dropped, OldKind = oldKind, NewKind = newKind, NewId = newId };
        }

        /// <summary>The text edits of a Set planned on doc.</summary>
        public static PlannedChange Edits(KratosConfigDocument doc, SetPlan sp)
        {
            var edits = new ProviderListEdits(doc).ToSet(sp.Entry, sp.Changes.Select(c => new KeyValuePair<string, object>(c.Key, EntryValues.RValue(c.Value))).ToList());
            var slots = doc.Items.Select(i => i == sp.Entry ? new Slot { Intended = EntryValues.PlainOf(sp.Result) } : new Slot { Orig = i }).ToList();
            return new PlannedChange { Edits = edits, Slots = slots };
        }

        /// <summary>The one entry with the provider id name: KratosIdpNotFound when there is none, KratosConfigFileUnsupported when there are several.</summary>
        public static YNode FindEntry(KratosConfigDocument doc, string name)
        {
            if (string.IsNullOrEmpty(name))
                throw new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument, ConfigFileMessages.NoName());
            var matches = doc.Items.Where(i => doc.IdOf(i) == name).ToList();
            if (matches.Count == 0)
            {
                var ids = doc.Items.Select(doc.IdOf).Where(x => x != null).ToList();
                throw new ExternalIdpException(ErrorIds.IdpNotFound, ErrorKind.ObjectNotFound, ConfigFileMessages.IdpNotFound(name, doc.Description, ids, doc.Path), name);
            }
            if (matches.Count > 1)
                throw new ExternalIdpException(ErrorIds.ConfigFileUnsupported, ErrorKind.InvalidData, ConfigFileMessages.SeveralEntries(doc.Description, name, matches.Select(x => x.Line).ToList()), name);
            return matches[0];
        }
    }
}
