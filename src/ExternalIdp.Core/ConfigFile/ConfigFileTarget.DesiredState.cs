using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using ExternalIdp.Core.DesiredState;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>
    /// Desired state on a config file: the file is parsed once; every change of a Sync is planned on
    /// that one read and checked before anything is written; after the questions (one per IdP) the
    /// file is locked, found to hold still the bytes that were read, and written once. A Sync with
    /// nothing to do neither locks nor writes.
    /// </summary>
    public sealed partial class ConfigFileTarget
    {
        /// <summary>One planned change, checked on the read; planned again on each intermediate text it is applied to.</summary>
        private sealed class SyncOp
        {
            public IdpPlan Plan;
            public string Id;
            /// <summary>Add: the whole entry.</summary>
            public ProviderEntry Entry;
            /// <summary>Set: the changes, checked for this file.</summary>
            public IdpRequest Request;
            /// <summary>Keys without a parameter: as rendered, and as they read back.</summary>
            public List<KeyValuePair<string, object>> ExtrasRender = new List<KeyValuePair<string, object>>();
            public Dictionary<string, object> ExtrasPlain = new Dictionary<string, object>(StringComparer.Ordinal);
            public List<string> Dropped;
            public int Order => Plan.Action == PlanAction.Change ? 0 : Plan.Action == PlanAction.Remove ? 1 : 2;
        }

        public SyncResult SyncDesired(SyncRequest request, OperationOptions options, ICoreHost host)
        {
            host = host ?? SilentHost.Instance;
            if (request == null) throw new ArgumentNullException(nameof(request));
            var content = ConfigFileStore.Read(ConfigPath);
            var doc = ConfigFileStore.Parse(content, ConfigRoot);
            var ops = PlanDesired(doc, request, out var result);
            result.FileReads = 1;
            if (request.DryRun) return result;

            var plans = result.Plans;
            int adds = ops.Count(o => o.Plan.Action == PlanAction.Add), changes = ops.Count(o => o.Plan.Action == PlanAction.Change), removes = ops.Count(o => o.Plan.Action == PlanAction.Remove);
            host.WriteVerbose($"{Description}: {adds} to add, {changes} to change, {removes} to remove, {plans.Count(p => p.Action == PlanAction.None && p.Error == null)} as desired, {plans.Count(p => p.Error != null)} refused.");
            var approved = new List<SyncOp>();
            if (ops.Count > 0)
            {
                ConfigFileIdentity.Writable(ConfigPath);
                foreach (var op in ops)
                    if (host.ShouldProcess($"IdP '{op.Plan.Name}' in {Description}", op.Plan.Description)) approved.Add(op);
            }
            KratosConfigDocument written = null;
            string finalText = null;
            if (approved.Count > 0)
            {
                using (ConfigFileStore.Lock(ConfigPath, host.Cancellation, LockTimeout))
                {
                    var changed = ChangeWriter.ReadIfChanged(content);
                    if (changed != null)
                    {
                        // Changed since it was read: plan again on what is there, and apply what was agreed to if it is still the same change.
                        host.WriteVerbose($"{ConfigPath} changed while Sync asked; reading it again.");
                        content = changed;
                        doc = ConfigFileStore.Parse(content, ConfigRoot);
                        result.FileReads++;
                        var again = PlanDesired(doc, request, out _).ToDictionary(o => o.Plan.Name, StringComparer.Ordinal);
                        var still = new List<SyncOp>();
                        foreach (var op in approved)
                        {
                            if (!again.TryGetValue(op.Plan.Name, out var now))
                                host.WriteVerbose($"'{op.Plan.Name}' in {Description} is now as desired; nothing to do.");
                            else if (now.Plan.Description == op.Plan.Description) { now.Plan = op.Plan; still.Add(now); }
                            else op.Plan.Error = new ExternalIdpException(ErrorIds.ConfigFileLocked, ErrorKind.ResourceBusy,
                                $"'{op.Plan.Name}' in {Description} was changed by someone else while Sync asked; it was left as it is now. Run Sync-KratosIdp again.", op.Plan.Name);
                        }
                        approved = still;
                    }
                    if (approved.Count > 0)
                    {
                        finalText = ApplyOps(content, doc, approved, host, out written);
                        ConfigFileStore.WriteAtomic(ConfigPath, finalText, content.Bom);
                        result.FileWrites = 1;
                        foreach (var op in approved) op.Plan.Applied = true;
                    }
                }
            }
            foreach (var op in approved)
            {
                var p = op.Plan;
                host.WriteVerbose(p.Action == PlanAction.Add ? $"Added the IdP '{p.Name}' to {Description}."
                    : p.Action == PlanAction.Remove ? $"Removed the IdP '{p.Name}' from {Description}."
                    : $"Changed {string.Join(", ", p.Differences.Select(d => d.Property))} of the IdP '{p.Name}' in {Description}.");
                if (op.Dropped != null && op.Dropped.Count > 0)
                    host.WriteWarning($"The provider kind of '{p.Name}' changed: removed {string.Join(", ", op.Dropped)}, which the new kind doesn't take.");
            }
            if (request.WantResults) FillResults(result, written);
            host.WriteVerbose($"{Description} was read {Times(result.FileReads)} and written {Times(result.FileWrites)} by this Sync.");
            return result;
        }

        private static string Times(int n) => n == 0 ? "no time" : n == 1 ? "once" : n == 2 ? "twice" : n + " times";

        /// <summary>Plans the desired state on doc and checks each planned IdP as Add and Set would (errors stay on their plans).</summary>
        private List<SyncOp> PlanDesired(KratosConfigDocument doc, SyncRequest request, out SyncResult result)
        {
            var release = ReleaseOf(doc, new OperationOptions { KratosVersion = request.KratosVersion });
            var idps = ToIdps(doc, release);
            var list = new List<TargetIdp>(idps.Count);
            for (int i = 0; i < idps.Count; i++)
            {
                var settings = doc.Items[i] is YMapping m ? doc.Entry(m) : new ProviderEntry();
                list.Add(new TargetIdp(idps[i], settings, live: true));
            }
            var snapshot = new TargetSnapshot(TargetType, Description, list)
            {
                NamesAreProviderIds = true,
                Release = release,
            };
            var plans = Planner.Plan(request, snapshot);
            result = new SyncResult(snapshot, plans);
            var ops = new List<SyncOp>();
            foreach (var p in plans)
            {
                if (p.Error != null || p.Action == PlanAction.None) continue;
                try
                {
                    ops.Add(CheckOp(doc, p, snapshot));
                }
                catch (ExternalIdpException e)
                {
                    p.Error = p.Desired != null ? Planner.ForIdp(p.Desired, e)
                        : new ExternalIdpException(e.ErrorId, e.Kind, $"IdP '{p.Name}': {e.Message}", p.Name, e);
                }
            }
            return ops.OrderBy(o => o.Order).ToList();
        }

        private SyncOp CheckOp(KratosConfigDocument doc, IdpPlan p, TargetSnapshot snapshot)
        {
            var op = new SyncOp { Plan = p, Id = p.Name };
            foreach (var kv in p.Extras)
            {
                op.ExtrasRender.Add(new KeyValuePair<string, object>(kv.Key, RenderExtra(kv.Key, kv.Value, p.Name)));
                op.ExtrasPlain[kv.Key] = PlainExtra(kv.Value);
            }
            switch (p.Action)
            {
                case PlanAction.Add:
                {
                    var request = IdpRequest.ForAdd(p.Settings, Rules, op.Id);
                    IdpRules.ValidateProviderId(op.Id);
                    var entry = IdpRules.NewEntry(request, op.Id);
                    ChangePlanner.CheckAddable(doc, op.Id);
                    VersionCheck.Require(snapshot.Release, request.Kind.Name, VersionCheck.Keys(entry, p.Extras), Description, op.Id);
                    op.Entry = entry;
                    break;
                }
                case PlanAction.Change:
                {
                    var request = IdpRequest.ForSet(p.Settings, Rules);
                    var sp = ChangePlanner.Set(doc, op.Id, request, _fields);
                    VersionCheck.Require(snapshot.Release, request.Kind != null ? sp.NewKind.Name : null,
                        VersionCheck.Keys(sp.Changes, p.Extras), Description, op.Id);
                    op.Request = request;
                    op.Dropped = sp.Dropped;
                    break;
                }
                case PlanAction.Remove:
                    ChangePlanner.FindEntry(doc, op.Id);
                    break;
            }
            return op;
        }

        /// <summary>
        /// The text of the file with every op applied. The ops go in as few steps as the text allows
        /// (usually one); a step that can't share the text with the others (the first entry of an empty
        /// list, a removal that empties it, edits that touch) runs on the result of the one before.
        /// Each step is checked as Add, Set and Remove check theirs.
        /// </summary>
        private string ApplyOps(ConfigFileContent content, KratosConfigDocument doc, List<SyncOp> ops, ICoreHost host, out KratosConfigDocument written)
        {
            var pending = ops.OrderBy(o => o.Order).ToList();
            var curContent = content;
            var curDoc = doc;
            string text = content.Text;
            written = null;
            int steps = 0;
            while (pending.Count > 0)
            {
                var batch = TakeBatch(curDoc, pending);
                var planned = PlanBatch(curDoc, batch, out var overlap);
                if (overlap && batch.Count > 1)
                {
                    batch = batch.Take(1).ToList();
                    planned = PlanBatch(curDoc, batch, out _);
                }
                var prepared = ChangeWriter.Prepare(curContent, curDoc, planned);
                if (planned.Note != null) host.WriteVerbose(planned.Note);
                text = prepared.Written.Text;
                written = prepared.Written;
                steps++;
                foreach (var o in batch) pending.Remove(o);
                if (pending.Count > 0)
                {
                    curContent = new ConfigFileContent { Path = ConfigPath, Bom = content.Bom, Text = text, Json = content.Json };
                    curDoc = prepared.Written;
                }
            }
            if (steps > 1) host.WriteDebug($"The changes of this Sync were made in {steps} steps on the text, written once.");
            return text;
        }

        /// <summary>The ops (in order) that can be planned together on doc; always at least one.</summary>
        private List<SyncOp> TakeBatch(KratosConfigDocument doc, List<SyncOp> pending)
        {
            var batch = new List<SyncOp>();
            int remaining = doc.Items.Count;
            bool removesLast = false;
            bool addsOk = doc.Providers != null && doc.Items.Count > 0 && doc.OidcEnabled;
            foreach (var op in pending)
            {
                switch (op.Plan.Action)
                {
                    case PlanAction.Change:
                        batch.Add(op);
                        break;
                    case PlanAction.Remove:
                        if (remaining == 1 && batch.Count > 0) continue; // the list's last entry goes alone (it leaves providers: [])
                        var item = ChangePlanner.FindEntry(doc, op.Id);
                        if (ReferenceEquals(item, doc.Items[doc.Items.Count - 1])) removesLast = true;
                        remaining--;
                        batch.Add(op);
                        if (remaining == 0) return batch;
                        break;
                    case PlanAction.Add:
                        if (!addsOk)
                        {
                            // The first entry of an empty or missing list (or one that switches oidc on) goes alone.
                            if (batch.Count == 0) { batch.Add(op); return batch; }
                            continue;
                        }
                        if (removesLast || remaining == 0) continue;
                        batch.Add(op);
                        break;
                }
            }
            if (batch.Count == 0) batch.Add(pending[0]);
            return batch;
        }

        private PlannedChange PlanBatch(KratosConfigDocument doc, List<SyncOp> batch, out bool overlap)
        {
            var listEdits = new ProviderListEdits(doc);
            var edits = new List<TextEdit>();
            var removed = new HashSet<YNode>();
            var changed = new Dictionary<YNode, object>();
            var added = new List<object>();
            string note = null;
            foreach (var op in batch)
            {
                switch (op.Plan.Action)
                {
                    case PlanAction.Change:
                    {
                        var sp = ChangePlanner.Set(doc, op.Id, op.Request, _fields);
                        var changes = sp.Changes.Select(c => new KeyValuePair<string, object>(c.Key, EntryValues.RValue(c.Value))).Concat(op.ExtrasRender).ToList();
                        edits.AddRange(listEdits.ToSet(sp.Entry, changes));
                        var result = EntryValues.PlainOf(sp.Result);
                        foreach (var kv in op.ExtrasPlain) result[kv.Key] = kv.Value;
                        changed[sp.Entry] = result;
                        break;
                    }
                    case PlanAction.Remove:
                    {
                        var item = ChangePlanner.FindEntry(doc, op.Id);
                        edits.AddRange(listEdits.ToRemove(item));
                        removed.Add(item);
                        break;
                    }
                    case PlanAction.Add:
                    {
                        ChangePlanner.CheckAddable(doc, op.Id);
                        var rmap = EntryValues.ToRMap(op.Entry, _fields);
                        foreach (var kv in op.ExtrasRender) rmap.Add(kv.Key, kv.Value);
                        edits.AddRange(listEdits.ToAdd(rmap, out var n));
                        note = note ?? n;
                        var intended = EntryValues.PlainOf(op.Entry);
                        foreach (var kv in op.ExtrasPlain) intended[kv.Key] = kv.Value;
                        added.Add(intended);
                        break;
                    }
                }
            }
            var slots = new List<Slot>(doc.Items.Count + added.Count);
            foreach (var i in doc.Items)
            {
                if (removed.Contains(i)) continue;
                slots.Add(changed.TryGetValue(i, out var intended) ? new Slot { Intended = intended } : new Slot { Orig = i });
            }
            foreach (var a in added) slots.Add(new Slot { Intended = a });
            overlap = Overlaps(edits);
            return new PlannedChange { Edits = edits, Slots = slots, Enable = added.Count > 0, Note = note };
        }

        private static bool Overlaps(List<TextEdit> edits)
        {
            int pos = 0;
            foreach (var e in edits.OrderBy(e => e.Start).ThenBy(e => e.End > e.Start ? 1 : 0))
            {
                if (e.Start < pos) return true;
                pos = e.End;
            }
            return false;
        }

        /// <summary>The IdPs after the Sync: from the written document as the check read it back, or as read when nothing was written.</summary>
        private void FillResults(SyncResult result, KratosConfigDocument written)
        {
            Dictionary<string, KratosIdp> after = null;
            if (written != null)
            {
                after = new Dictionary<string, KratosIdp>(StringComparer.Ordinal);
                foreach (var i in ToIdps(written, result.Snapshot.Release)) if (i.Name != null && !after.ContainsKey(i.Name)) after[i.Name] = i;
            }
            var before = result.Snapshot.Idps.Where(t => t.Idp.Name != null).GroupBy(t => t.Idp.Name).ToDictionary(g => g.Key, g => g.First().Idp, StringComparer.Ordinal);
            foreach (var p in result.Plans)
            {
                if (p.Desired == null || p.Name == null) continue;
                KratosIdp idp = null;
                if (after != null) after.TryGetValue(p.Name, out idp);
                else before.TryGetValue(p.Name, out idp);
                p.Result = idp;
            }
        }

        // ------------------------------------------------------------------ values of keys without a parameter

        private static ExternalIdpException CantWrite(string key, string name, string what)
            => new ExternalIdpException(ErrorIds.ConfigFileUnsupported, ErrorKind.InvalidArgument,
                $"'{key}' of '{name}' holds {what}, which Sync can't write into a config file. Set that key by hand in the file, or leave it out of the desired IdP.", name);

        /// <summary>A value of a key without a parameter as the file renders it: string, bool, string[], RMap, RMap[].</summary>
        private static object RenderExtra(string key, object v, string name)
        {
            switch (v)
            {
                case null: throw CantWrite(key, name, "a null value");
                case string s: return s;
                case bool b: return b;
                case IDictionary<string, object> d:
                {
                    var r = new RMap();
                    foreach (var kv in d) r.Add(kv.Key, RenderExtra(key, kv.Value, name));
                    return r;
                }
                case IEnumerable e:
                {
                    var items = e.Cast<object>().ToList();
                    if (items.All(i => i is string)) return items.Cast<string>().ToArray();
                    if (items.All(i => i is IDictionary<string, object>)) return items.Select(i => (RMap)RenderExtra(key, i, name)).ToArray();
                    throw CantWrite(key, name, "a list that mixes texts, booleans and mappings");
                }
                default: throw CantWrite(key, name, $"a {v.GetType().Name}");
            }
        }

        /// <summary>The same value as it reads back from the file (for the check of the written text).</summary>
        private static object PlainExtra(object v)
        {
            switch (v)
            {
                case null: return null;
                case string s: return s;
                case bool b: return new YamlText.Typed("bool", b ? "true" : "false");
                case IDictionary<string, object> d: return d.ToDictionary(kv => kv.Key, kv => PlainExtra(kv.Value), StringComparer.Ordinal);
                case IEnumerable e: return e.Cast<object>().Select(PlainExtra).ToList();
                default: return v.ToString();
            }
        }
    }
}
