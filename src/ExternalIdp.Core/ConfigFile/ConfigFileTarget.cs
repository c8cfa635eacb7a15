using System;
using System.Collections.Generic;
using System.Linq;
using ExternalIdp.Core;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>
    /// IdPs in a Kratos config file: the entries of selfservice.methods.oidc.config.providers
    /// (below -ConfigRoot when the Kratos config is nested in a bigger YAML). Every operation
    /// reads the file afresh (its parse tree is reused only when the text is exactly one this
    /// process parsed or wrote: see ParsedDocuments); changes splice the text so that everything
    /// outside the changed entry stays byte-identical, are checked by re-reading the result (or,
    /// for whole entries of a block list, the changed lines: see LocalCheck), and are written
    /// atomically under a lock.
    /// </summary>
    public sealed partial class ConfigFileTarget : IIdpTarget
    {
        /// <summary>The settings this target knows: their keys, the order new entries and changes are written in, how they show.</summary>
        private readonly FieldTable _fields;

        /// <param name="configPath">Absolute file-system path of the Kratos config (.yml, .yaml or .json).</param>
        /// <param name="configRoot">Dotted path of the Kratos config inside the file (e.g. kratos.config), or null for the document root.</param>
        public ConfigFileTarget(string configPath, string configRoot) : this(configPath, configRoot, FieldTable.Default) { }

        /// <summary>A target for the rows of another field table (tests add a made-up row).</summary>
        internal ConfigFileTarget(string configPath, string configRoot, FieldTable fields)
        {
            _fields = fields;
            if (string.IsNullOrWhiteSpace(configPath))
                throw new ExternalIdpException(ErrorIds.ConfigFileNotFound, ErrorKind.InvalidArgument,
                    "-ConfigPath is empty: give the path of the Kratos config file (kratos.yml or kratos.json).");
            ConfigPath = configPath;
            ConfigRoot = string.IsNullOrWhiteSpace(configRoot) ? null : configRoot.Trim();
        }

        public string ConfigPath { get; }
        public string ConfigRoot { get; }

        /// <summary>How long a change waits for another change of the same file to finish.</summary>
        public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

        public string TargetType => "ConfigFile";

        public string Description => ConfigRoot == null ? ConfigPath : $"{ConfigPath} ({ConfigRoot})";

        public void Stamp(KratosIdp idp)
        {
            idp.TargetType = TargetType;
            idp.ConfigPath = ConfigPath;
            idp.ConfigRoot = ConfigRoot;
        }

        internal TargetRules Rules => KratosFileRules.Instance;

        public bool SupportsProvider(ProviderKind kind, out string reason)
        {
            reason = Rules.KindRefusal(kind);
            return kind != null && reason == null;
        }

        public IReadOnlyCollection<string> UnsupportedParameters => Rules.UnsupportedParameters;

        // ------------------------------------------------------------------ reading

        private KratosConfigDocument Load()
        {
            var c = ConfigFileStore.Read(ConfigPath);
            return ConfigFileStore.Parse(c, ConfigRoot);
        }

        public IReadOnlyList<KratosIdp> GetIdps(ICoreHost host, OperationOptions options = null)
        {
            host = host ?? SilentHost.Instance;
            var doc = Load();
            host.WriteVerbose($"Read {doc.Items.Count} provider entr{(doc.Items.Count == 1 ? "y" : "ies")} from {Description}.");
            var release = ReleaseOf(doc, options);
            host.WriteVerbose($"Checking the entries against Kratos {release}.");
            return ToIdps(doc, release);
        }

        /// <summary>
        /// The Kratos release that reads the file: -KratosVersion, else its top-level version: key (below
        /// -ConfigRoot), else the newest release ExternalIdp knows.
        /// </summary>
        private KratosRelease ReleaseOf(KratosConfigDocument doc, OperationOptions options)
        {
            var key = $"the config file's {RootPrefix}version: key";
            var where = $"the config file's top-level {RootPrefix}version: key";
            return KratosRelease.Resolve(options?.KratosVersion, Scalar(doc, "version"), key, $"the config file has no {RootPrefix}version: key", where);
        }

        private List<KratosIdp> ToIdps(KratosConfigDocument doc, KratosRelease release)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var list = new List<KratosIdp>(doc.Items.Count);
            // Document-wide values, read once for all entries.
            bool enabled = doc.OidcEnabled;
            var baseUrl = UsableBase(doc, null);
            foreach (var item in doc.Items)
            {
                var id = doc.IdOf(item);
                bool dup = id != null && !seen.Add(id);
                list.Add(ToIdp(doc, item, dup, enabled, baseUrl, release));
            }
            return list;
        }

        private KratosIdp ToIdp(KratosConfigDocument doc, YNode item, bool duplicate, KratosRelease release)
            => ToIdp(doc, item, duplicate, doc.OidcEnabled, UsableBase(doc, null), release);

        private KratosIdp ToIdp(KratosConfigDocument doc, YNode item, bool duplicate, bool enabled, string baseUrl, KratosRelease release)
        {
            var idp = new KratosIdp { Enabled = enabled, KratosVersion = release.Name, KratosVersionSource = release.Source };
            Stamp(idp);
            var problems = new List<string>();
            if (item is YMapping m)
            {
                var e = doc.Entry(m);
                IdpView.Fill(idp, e, _fields);
                idp.Name = idp.ProviderId;
                problems.AddRange(IdpProblems.OfFileEntry(e, _fields, duplicate, release.Known));
                problems.AddRange(KratosVersionRules.Problems(release, e, _fields));
                if (baseUrl != null && !string.IsNullOrEmpty(idp.ProviderId))
                {
                    try
                    {
                        idp.RedirectUri = RedirectUris.Build(baseUrl, idp.ProviderId, idp.Pkce, e.ScalarText(FieldTable.OrganizationId.Key));
                        idp.RedirectUriSource = "Computed";
                    }
                    catch (ExternalIdpException) { }
                }
            }
            else
            {
                var what = item is YScalar ? "a single value" : item is YSequence ? "a list" : "an alias";
                problems.Add($"not a mapping: the entry at line {item.Line} is {what}, but Kratos expects a mapping with id, provider, client_id, mapper_url, ...");
            }
            idp.Problems = problems.ToArray();
            idp.Status = problems.Count == 0 ? "Valid" : "Invalid";
            idp.StatusMessage = problems.Count == 0 ? null : string.Join("; ", problems);
            return idp;
        }

        private static string RedirectUriOf(string baseUrl, string id, ProviderEntry e)
            => RedirectUris.Build(baseUrl, id, e.ScalarText(FieldTable.Pkce.Key), e.ScalarText(FieldTable.OrganizationId.Key));

        /// <summary>The redirect base: -PublicUrl, base_redirect_uri, serve.public.base_url (skipping templates).</summary>
        private static string UsableBase(KratosConfigDocument doc, string publicUrl)
        {
            foreach (var b in new[] { publicUrl, doc.BaseRedirectUri, doc.PublicBaseUrl })
            {
                if (string.IsNullOrWhiteSpace(b)) continue;
                if (IdpRules.IsPlaceholder(b)) continue;
                return b;
            }
            return null;
        }

        private YNode FindEntry(KratosConfigDocument doc, string name) => FindEntry(doc, doc.Items, name);

        private YNode FindEntry(KratosConfigDocument doc, IReadOnlyList<YNode> items, string name)
        {
            if (string.IsNullOrEmpty(name))
                throw new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument,
                    "No IdP name given: give -Name with the provider id of the entry (see Get-KratosIdp).");
            var matches = items.Where(i => doc.IdOf(i) == name).ToList();
            if (matches.Count == 0)
            {
                var ids = items.Select(doc.IdOf).Where(x => x != null).ToList();
                var known = ids.Count == 0 ? "There are no provider entries in it." : $"The provider ids there are: {string.Join(", ", ids)}.";
                throw new ExternalIdpException(ErrorIds.IdpNotFound, ErrorKind.ObjectNotFound,
                    $"No IdP with the provider id '{IdpRules.Printable(name)}' in {Description}. {known} Check -Name (Get-KratosIdp -ConfigPath {ConfigPath} lists them).", name);
            }
            if (matches.Count > 1)
                throw new ExternalIdpException(ErrorIds.ConfigFileUnsupported, ErrorKind.InvalidData,
                    $"{Description} has {matches.Count} entries with the provider id '{name}' (lines {string.Join(", ", matches.Select(x => x.Line))}); Kratos uses only the first. Remove or rename the extra entries by hand, then retry.", name);
            return matches[0];
        }

        // ------------------------------------------------------------------ Add

        public KratosIdp Add(string name, IdpSettings settings, OperationOptions options, ICoreHost host)
        {
            host = host ?? SilentHost.Instance;
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            if (string.IsNullOrEmpty(name)) name = null; // PowerShell turns $null into "" for string arguments
            var request = IdpRequest.ForAdd(settings, Rules, name ?? settings.ProviderId);
            var kind = request.Kind;
            if (name != null && settings.ProviderId != null && !string.Equals(name, settings.ProviderId, StringComparison.Ordinal))
                throw new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument,
                    $"-Name '{IdpRules.Printable(name)}' and -ProviderId '{IdpRules.Printable(settings.ProviderId)}' differ; on a config file both are the provider id. Give only one of them.", name);
            var id = name ?? settings.ProviderId;
            if (id == null)
            {
                id = ProviderIds.Generate(kind, request.Text(FieldTable.ClientId), request.Text(FieldTable.IssuerUrl), request.Text(FieldTable.MicrosoftTenant));
                host.WriteVerbose($"No provider id given: using '{id}', derived from the client id as the integrator charm does. It changes if the client id changes; give -ProviderId for a stable one.");
            }
            IdpRules.ValidateProviderId(id);
            var entry = IdpRules.NewEntry(request, id);
            KratosRelease release = null;

            Planned Plan(KratosConfigDocument doc)
            {
                CheckAddable(doc, id);
                release = ReleaseOf(doc, options);
                KratosVersionRules.Require(release, request, Description, id);
                var rmap = ToRMap(entry);
                var edits = doc.PlanAdd(rmap, out var n);
                var slots = doc.Items.Select(i => new Slot { Orig = i }).ToList();
                slots.Add(new Slot { Intended = PlainOf(entry) });
                return new Planned { Edits = edits, Slots = slots, Enable = true, Note = n };
            }

            // Plan and check against the file as it is now (errors come before any question), ask, then commit under the lock.
            var preview = Prepare(ConfigFileStore.Read(ConfigPath), Plan);
            var done = Commit(preview, Plan, host, $"IdP '{id}' in {Description}", $"Add {kind.Name} provider");
            if (done == null) return null;
            var written = done.View;
            var note = done.Plan.Note;
            if (note != null) host.WriteVerbose(note);
            host.WriteVerbose($"Added the {kind.Name} provider '{id}' to {Description}.");
            var item = done.Items.Last(i => written.IdOf(i) == id);
            return ToIdp(written, item, false, release);
        }

        private void CheckAddable(KratosConfigDocument doc, string id)
        {
            var same = doc.Items.FirstOrDefault(i => doc.IdOf(i) == id);
            if (same != null)
                throw new ExternalIdpException(ErrorIds.IdpAlreadyExists, ErrorKind.ResourceExists,
                    $"An IdP with the provider id '{id}' already exists in {Description} (line {same.Line}). Change it with Set-KratosIdpProvider, remove it first with Remove-KratosIdp, or give another -ProviderId.", id);
        }

        // ------------------------------------------------------------------ Set

        private sealed class SetPlan
        {
            public YMapping Entry;
            public List<KeyValuePair<string, SettingValue>> Changes;
            public ProviderEntry Existing, Result;
            public List<string> Dropped;
            public ProviderKind OldKind, NewKind;
            public string NewId;
            public KratosRelease Release;
        }

        private SetPlan PlanSet(KratosConfigDocument doc, string name, IdpRequest s, OperationOptions options)
        {
            var item = FindEntry(doc, name);
            if (!(item is YMapping m))
                throw new ExternalIdpException(ErrorIds.ConfigFileUnsupported, ErrorKind.InvalidData,
                    $"The entry '{name}' at line {item.Line} of {ConfigPath} is not a mapping. Fix it by hand.", name);
            if (KratosConfigDocument.HasSpecial(m))
                throw new ExternalIdpException(ErrorIds.ConfigFileUnsupported, ErrorKind.InvalidData,
                    $"The entry '{name}' (line {m.Line} of {ConfigPath}) uses anchors, aliases, tags or merge keys, which can't be edited in place. Write it out plainly, then retry.", name);
            var existing = doc.Entry(m);
            var oldProvider = existing.ScalarText(FieldTable.Provider.Key);
            ProviderCatalog.TryGetExact(oldProvider, out var oldKind);
            if (oldKind == null && s.Kind == null)
                throw new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidData,
                    $"The entry '{name}' has provider '{IdpRules.Printable(oldProvider)}', which is not a Kratos provider kind. Give -Provider with the right kind ({string.Join(", ", ProviderCatalog.Names)}).", name);
            var newKind = s.Kind ?? oldKind;
            var changes = IdpRules.Changes(existing, oldKind, newKind, s, out var dropped);
            var result = IdpRules.Apply(existing, changes);

            var problems = IdpProblems.OfKind(newKind, result);
            if (newKind == oldKind)
            {
                var before = new HashSet<string>(IdpProblems.OfKind(oldKind, existing));
                problems = problems.Where(p => !before.Contains(p)).ToList();
            }
            foreach (var f in _fields.Rows.Where(f => f.RequiredByKratos))
                if (existing[f] != null && result[f] == null)
                    problems.Add(RuleMessages.KratosRequires(f));
            if (problems.Count > 0)
                throw new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument, string.Join(" ", problems), name);
            var release = ReleaseOf(doc, options);
            KratosVersionRules.Require(release, s, Description, name);

            string newId = null;
            if (s.ProviderId != null && s.ProviderId != name)
            {
                newId = s.ProviderId;
                var other = doc.Items.FirstOrDefault(i => doc.IdOf(i) == newId);
                if (other != null)
                    throw new ExternalIdpException(ErrorIds.IdpAlreadyExists, ErrorKind.ResourceExists,
                        $"Can't rename '{name}' to '{newId}': another entry already has that provider id (line {other.Line} of {ConfigPath}). Choose another -ProviderId.", name);
            }
            // Keep only real changes, in the order keys are written.
            var effective = changes
                .Where(c => !(existing.Contains(c.Key) && c.Value != null && PlainEquals(existing[c.Key]?.ToPlain(), c.Value.ToPlain())))
                .Where(c => !(c.Value == null && !existing.Contains(c.Key)))
                .OrderBy(c => _fields.OrderOf(c.Key))
                .ToList();
            return new SetPlan { Entry = m, Changes = effective, Existing = existing, Result = result, Dropped = dropped, OldKind = oldKind, NewKind = newKind, NewId = newId, Release = release };
        }

        public KratosIdp Set(string name, IdpSettings changes, OperationOptions options, ICoreHost host)
        {
            host = host ?? SilentHost.Instance;
            if (changes == null || changes.IsEmpty)
                throw new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument,
                    $"Nothing to change for '{IdpRules.Printable(name)}': give at least one setting (-Label, -Scope, -ClientId, -ClientSecret, -Provider, ...).", name);
            var request = IdpRequest.ForSet(changes, Rules);

            var content = ConfigFileStore.Read(ConfigPath);
            var current = ConfigFileStore.Parse(content, ConfigRoot);
            var plan = PlanSet(current, name, request, options);
            var finalId = plan.NewId ?? name;
            if (plan.Changes.Count == 0)
            {
                host.WriteVerbose($"The IdP '{name}' in {Description} already has these settings; the file was not changed.");
                return ToIdp(current, plan.Entry, false, plan.Release);
            }
            Planned Plan(KratosConfigDocument doc, SetPlan sp)
            {
                var edits = doc.PlanSet(sp.Entry, sp.Changes.Select(c => new KeyValuePair<string, object>(c.Key, RValue(c.Value))).ToList());
                var slots = doc.Items.Select(i => i == sp.Entry ? new Slot { Intended = PlainOf(sp.Result) } : new Slot { Orig = i }).ToList();
                return new Planned { Edits = edits, Slots = slots };
            }
            var preview = Prepare(content, current, Plan(current, plan));
            var what = string.Join(", ", plan.Changes.Select(c => _fields.ByKey(c.Key)?.Parameter ?? c.Key).Distinct());

            // When the file changed since the preview, the change is planned again on what is there now.
            Planned PlanAgain(KratosConfigDocument doc)
            {
                plan = PlanSet(doc, name, request, options);
                return Plan(doc, plan);
            }
            var done = Commit(preview, PlanAgain, host, $"IdP '{name}' in {Description}", $"Set {what}");
            if (done == null) return null;
            var written = done.View;
            if (plan.Dropped.Count > 0)
                host.WriteWarning($"The provider kind of '{name}' changed from '{plan.OldKind?.Name}' to '{plan.NewKind.Name}': removed {string.Join(", ", plan.Dropped)}, which '{plan.NewKind.Name}' doesn't take.");
            var b = UsableBase(written, null);
            if (plan.NewId != null)
            {
                var uri = b == null ? "" : $" The redirect URI is now {RedirectUriOf(b, plan.NewId, plan.Result)}: register it at the identity provider.";
                host.WriteWarning($"The provider id changed from '{name}' to '{plan.NewId}'. Kratos links users as '<id>:<subject>', so users who signed in through '{name}' can no longer sign in through it until their links are migrated, and the redirect URI changes.{uri}");
            }
            else if (b != null && RedirectUriOf(b, name, plan.Existing) != RedirectUriOf(b, name, plan.Result))
            {
                // -OrganizationId, or -Pkce force, moves the callback.
                host.WriteWarning($"The redirect URI of '{name}' is now {RedirectUriOf(b, name, plan.Result)} (it was {RedirectUriOf(b, name, plan.Existing)}): register it at the identity provider, or sign-in fails with a redirect URI mismatch.");
            }
            host.WriteVerbose($"Changed {what} of the IdP '{finalId}' in {Description}.");
            return ToIdp(written, FindEntry(written, done.Items, finalId), false, plan.Release);
        }

        public KratosIdp SetEnabled(string name, bool enabled, OperationOptions options, ICoreHost host)
        {
            throw new ExternalIdpException(ErrorIds.ParameterNotSupported, ErrorKind.InvalidOperation,
                $"Kratos has no switch to turn one provider of a config file {(enabled ? "on" : "off")}: an entry in selfservice.methods.oidc.config.providers is active while it is there. To disable '{IdpRules.Printable(name)}', remove it with Remove-KratosIdp (keep a copy of its settings); to switch every external IdP off at once, set selfservice.methods.oidc.enabled: false in {ConfigPath}.", name);
        }

        // ------------------------------------------------------------------ Remove

        public bool Remove(string name, OperationOptions options, ICoreHost host)
        {
            host = host ?? SilentHost.Instance;
            Planned Plan(KratosConfigDocument doc)
            {
                var item = FindEntry(doc, name);
                var edits = doc.PlanRemove(item);
                var slots = doc.Items.Where(i => i != item).Select(i => new Slot { Orig = i }).ToList();
                return new Planned { Edits = edits, Slots = slots };
            }
            var preview = Prepare(ConfigFileStore.Read(ConfigPath), Plan);
            if (Commit(preview, Plan, host, $"IdP '{name}' in {Description}", "Remove provider") == null) return false;
            host.WriteVerbose($"Removed the IdP '{name}' from {Description}.");
            return true;
        }

        // ------------------------------------------------------------------ URLs

        public KratosRedirectUri GetRedirectUri(string name, OperationOptions options, ICoreHost host)
        {
            host = host ?? SilentHost.Instance;
            var doc = Load();
            var item = FindEntry(doc, name);
            var e = item is YMapping m ? doc.Entry(m) : new ProviderEntry();
            var publicUrl = options?.PublicUrl;
            string baseUrl = UsableBase(doc, publicUrl);
            if (baseUrl == null)
            {
                var template = new[] { doc.BaseRedirectUri, doc.PublicBaseUrl }.FirstOrDefault(x => !string.IsNullOrWhiteSpace(x));
                var why = template != null
                    ? $"{ConfigPath} gives the public URL as the template '{IdpRules.Printable(template)}', which is expanded only when Kratos starts."
                    : $"{ConfigPath} sets neither serve.public.base_url nor selfservice.methods.oidc.config.base_redirect_uri.";
                throw new ExternalIdpException(ErrorIds.RedirectUriUnavailable, ErrorKind.ObjectNotFound,
                    $"The redirect URI of '{name}' can't be computed: {why} Set serve.public.base_url (e.g. https://auth.example.com/) in the Kratos config, or pass -PublicUrl.", name);
            }
            var source = publicUrl != null ? "-PublicUrl" : doc.BaseRedirectUri == baseUrl ? "base_redirect_uri" : "serve.public.base_url";
            host.WriteVerbose($"Computing the redirect URI of '{name}' from {source} ({baseUrl}).");
            return new KratosRedirectUri
            {
                Name = name,
                ProviderId = name,
                RedirectUri = RedirectUris.Build(baseUrl, name, e.ScalarText(FieldTable.Pkce.Key), e.ScalarText(FieldTable.OrganizationId.Key)),
                Source = "Computed",
                TargetType = TargetType,
                ConfigPath = ConfigPath,
                ConfigRoot = ConfigRoot,
            };
        }

        public KratosPublicUrl GetPublicUrl(OperationOptions options, ICoreHost host)
        {
            // -PublicUrl is the answer when given (the cmdlet checked it: RedirectUris.GivenPublicUrl); the file is not read.
            if (!string.IsNullOrEmpty(options?.PublicUrl))
                return new KratosPublicUrl { PublicUrl = options.PublicUrl, Source = "parameter", TargetType = TargetType, ConfigPath = ConfigPath, ConfigRoot = ConfigRoot };
            var doc = Load();
            var url = doc.PublicBaseUrl;
            if (string.IsNullOrWhiteSpace(url))
                throw new ExternalIdpException(ErrorIds.PublicUrlNotFound, ErrorKind.ObjectNotFound,
                    $"{Description} has no serve.public.base_url. Add it to the Kratos config (serve:\n  public:\n    base_url: https://auth.example.com/), the URL at which browsers reach Kratos's public API.", ConfigPath);
            return new KratosPublicUrl
            {
                PublicUrl = url,
                Source = "serve.public.base_url",
                TargetType = TargetType,
                ConfigPath = ConfigPath,
                ConfigRoot = ConfigRoot,
            };
        }

        // ------------------------------------------------------------------ commit + self-check

        /// <summary>One providers item after the change: an untouched original, or an intended plain value.</summary>
        internal sealed class Slot
        {
            public YNode Orig;
            public object Intended;
        }

        /// <summary>What an operation will do to one read of the file.</summary>
        private sealed class Planned
        {
            public List<TextEdit> Edits;
            public List<Slot> Slots;
            public bool Enable;
            public string Note;
        }

        /// <summary>One read of the file with the change planned and checked on it (nothing written yet).</summary>
        private sealed class Prepared
        {
            public ConfigFileContent Content;
            public KratosConfigDocument Doc;
            public Planned Plan;
            /// <summary>The checked new text of the file.</summary>
            public string Text => Written?.Text ?? Local.NewText;
            /// <summary>The written document as re-read by the full check; null when the local check verified the edit.</summary>
            public KratosConfigDocument Written;
            /// <summary>Where document-wide values (enabled, base URLs) are read after the change: Written, or the original when only entries changed.</summary>
            public KratosConfigDocument View => Written ?? Doc;
            /// <summary>The providers list after the change.</summary>
            public IReadOnlyList<YNode> Items => Written?.Items ?? Local.Items;
            /// <summary>The change as the local check verified it (null after the full check).</summary>
            public LocalCheck.Edit Local;
        }

        /// <summary>How the last change made through this target was checked: "Local", "Full", or null (none yet). For tests and diagnostics.</summary>
        internal string LastCheck { get; private set; }

        /// <summary>Parses content, plans the change and checks the new text, without writing it.</summary>
        private Prepared Prepare(ConfigFileContent content, Func<KratosConfigDocument, Planned> plan)
        {
            var doc = ConfigFileStore.Parse(content, ConfigRoot);
            return Prepare(content, doc, plan(doc));
        }

        private Prepared Prepare(ConfigFileContent content, KratosConfigDocument doc, Planned planned)
        {
            var (written, local) = Check(doc, planned);
            return new Prepared { Content = content, Doc = doc, Plan = planned, Written = written, Local = local };
        }

        /// <summary>
        /// Writes a previewed change: refuses a file that can't be rewritten keeping what it is (a link, its
        /// owner, group and mode; see ConfigFileIdentity) before asking, asks once, then commits under the
        /// lock. Null when ShouldProcess declined.
        /// </summary>
        private Prepared Commit(Prepared preview, Func<KratosConfigDocument, Planned> plan, ICoreHost host, string target, string action)
        {
            ConfigFileIdentity.Writable(ConfigPath);
            if (!host.ShouldProcess(target, action)) return null;
            using (ConfigFileStore.Lock(ConfigPath, host.Cancellation, LockTimeout))
                return CommitLocked(preview, plan);
        }

        /// <summary>
        /// Call with the lock held: reads the file again and writes the change. When the file is still
        /// exactly what the preview read, the preview's checked text is written (planning and checking
        /// the same input again would give the same text); otherwise the change is planned and checked
        /// again on what is there now.
        /// </summary>
        private Prepared CommitLocked(Prepared preview, Func<KratosConfigDocument, Planned> plan)
        {
            // The file still holds what the preview read (same bytes): write the preview's text.
            var p = ConfigFileStore.Holds(ConfigPath, preview.Content.Bom, preview.Content.Text) ? preview : Prepare(ConfigFileStore.Read(ConfigPath), plan);
            ConfigFileStore.WriteAtomic(ConfigPath, p.Text, p.Content.Bom);
            // The next operation on the file as written finds its tree ready (see ParsedDocuments).
            // The change is made: a tree that can't be built only means a parse next time.
            YDocument tree = null;
            try { tree = p.Written?.Doc ?? p.Local?.NewTree(); }
            catch (Exception ex) when (!(ex is OutOfMemoryException)) { tree = null; }
            if (tree != null) ParsedDocuments.Remember(ConfigPath, tree, p.Content.Bom);
            return p;
        }

        /// <summary>The new text, and how it was verified: the re-read document (full check) or the local edit.</summary>
        private (KratosConfigDocument Written, LocalCheck.Edit Local) Check(KratosConfigDocument doc, Planned p)
        {
            string newText;
            try { newText = Render.Apply(doc.Text, p.Edits); }
            catch (InvalidOperationException)
            {
                throw Refuse(doc, "the changes overlap");
            }
            // Whole entries of a block list changed and nothing else: verified from the changed lines
            // (see LocalCheck for why that is enough). Anything else: the whole new text is re-read.
            if (LocalCheck.TryVerify(doc, newText, p.Slots, p.Enable, out var local))
            {
                LastCheck = "Local";
                return (null, local);
            }
            var nd = SelfCheck(doc, newText, p.Slots, p.Enable);
            LastCheck = "Full";
            return (nd, null);
        }

        private ExternalIdpException Refuse(KratosConfigDocument doc, string why)
            => new ExternalIdpException(ErrorIds.ConfigFileUnsupported, ErrorKind.InvalidData,
                $"{ConfigPath} was not changed: {why}, so the edit could not be made in place without risk. Make this change by hand (or rewrite the providers section in plain block style), then retry.", ConfigPath);

        internal KratosConfigDocument SelfCheck(KratosConfigDocument orig, string newText, List<Slot> slots, bool enable)
        {
            KratosConfigDocument nd;
            try
            {
                var y = YamlTreeReader.Parse(newText);
                nd = new KratosConfigDocument(orig.Path, orig.ConfigRoot, newText, orig.Json, y);
            }
            catch (Exception ex) when (ex is YamlDotNet.Core.YamlException || ex is ExternalIdpException)
            {
                throw Refuse(orig, "the edited text would not read back as a valid config");
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
            if (!PlainEquals(expected, actual))
                throw Refuse(orig, "the edited file would not read back as intended");
            // (b) entries that were not touched are byte-identical.
            if (nd.Items.Count != slots.Count) throw Refuse(orig, "the providers list would not read back as intended");
            for (int i = 0; i < slots.Count; i++)
            {
                var o = slots[i].Orig;
                if (o == null) continue;
                var n = nd.Items[i];
                if (string.CompareOrdinal(orig.Text, o.Start, newText, n.Start, Math.Max(o.End - o.Start, n.End - n.Start)) != 0 || o.End - o.Start != n.End - n.Start)
                    throw Refuse(orig, "an entry that should stay unchanged would change");
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

        // ------------------------------------------------------------------ values

        private RMap ToRMap(ProviderEntry entry)
        {
            var r = new RMap();
            foreach (var kv in entry.OrderBy(kv => _fields.OrderOf(kv.Key)))
                r.Add(kv.Key, RValue(kv.Value));
            return r;
        }

        /// <summary>A value to render: secrets revealed here, on their way into the file.</summary>
        private static object RValue(SettingValue v)
        {
            switch (v?.Kind)
            {
                case null: return null;
                case SettingKind.Secret: return v.Secret.Reveal();
                case SettingKind.Text: return v.Text;
                case SettingKind.List: return v.Items;
                default: return new RJson(v.AsJson);
            }
        }

        private static Dictionary<string, object> PlainOf(ProviderEntry entry)
            => entry.ToDictionary(kv => kv.Key, kv => kv.Value?.ToPlain(), StringComparer.Ordinal);

        internal static bool PlainEquals(object a, object b)
        {
            if (a == null || b == null) return a == null && b == null;
            if (a is string sa) return b is string sb && string.Equals(sa, sb, StringComparison.Ordinal);
            if (a is YamlText.Typed ta) return ta.Equals(b);
            if (a is List<object> la)
            {
                if (!(b is List<object> lb) || la.Count != lb.Count) return false;
                for (int i = 0; i < la.Count; i++) if (!PlainEquals(la[i], lb[i])) return false;
                return true;
            }
            if (a is Dictionary<string, object> da)
            {
                if (!(b is Dictionary<string, object> db) || da.Count != db.Count) return false;
                foreach (var kv in da)
                    if (!db.TryGetValue(kv.Key, out var bv) || !PlainEquals(kv.Value, bv)) return false;
                return true;
            }
            return Equals(a, b);
        }
    }
}
