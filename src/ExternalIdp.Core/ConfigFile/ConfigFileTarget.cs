using System;
using System.Collections.Generic;
using System.Linq;
using ExternalIdp.Core;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>
    /// IdPs in a Kratos config file: the entries of selfservice.methods.oidc.config.providers
    /// (below -ConfigRoot when the Kratos config is nested in a bigger YAML). Every operation reads
    /// and parses the file afresh (ConfigFileStore, KratosConfigDocument); a change is planned as text
    /// edits that leave everything outside the changed entry byte-identical (ChangePlanner), checked
    /// by reading the whole result back (ChangeCheck), and written atomically under a lock
    /// (ChangeWriter). Entries are read as KratosIdp objects by IdpReader.
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
                throw new ExternalIdpException(ErrorIds.ConfigFileNotFound, ErrorKind.InvalidArgument, ConfigFileMessages.ConfigPathEmpty());
            ConfigPath = configPath;
            ConfigRoot = string.IsNullOrWhiteSpace(configRoot) ? null : configRoot.Trim();
        }

        public string ConfigPath { get; }
        public string ConfigRoot { get; }

        /// <summary>How long a change waits for another change of the same file to finish.</summary>
        public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

        public string TargetType => "ConfigFile";

        public string Description => ConfigFileMessages.Describe(ConfigPath, ConfigRoot);

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
            host.WriteVerbose(ConfigFileMessages.ReadEntries(doc.Items.Count, Description));
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

        private List<KratosIdp> ToIdps(KratosConfigDocument doc, KratosRelease release) => IdpReader.All(doc, this, _fields, release);

        private KratosIdp ToIdp(KratosConfigDocument doc, YNode item, KratosRelease release) => IdpReader.One(doc, item, this, _fields, release);

        // ------------------------------------------------------------------ changes

        public KratosIdp Add(string name, IdpSettings settings, OperationOptions options, ICoreHost host)
        {
            host = host ?? SilentHost.Instance;
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            if (string.IsNullOrEmpty(name)) name = null; // PowerShell turns $null into "" for string arguments
            var request = IdpRequest.ForAdd(settings, Rules, name ?? settings.ProviderId);
            var kind = request.Kind;
            if (name != null && settings.ProviderId != null && !string.Equals(name, settings.ProviderId, StringComparison.Ordinal))
                throw new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument, ConfigFileMessages.NameAndProviderIdDiffer(name, settings.ProviderId), name);
            var id = name ?? settings.ProviderId;
            if (id == null)
            {
                id = ProviderIds.Generate(kind, request.Text(FieldTable.ClientId), request.Text(FieldTable.IssuerUrl), request.Text(FieldTable.MicrosoftTenant));
                host.WriteVerbose(ConfigFileMessages.GeneratedId(id));
            }
            IdpRules.ValidateProviderId(id);
            var entry = IdpRules.NewEntry(request, id);

            KratosRelease release = null;
            PlannedChange Plan(KratosConfigDocument doc)
            {
                ChangePlanner.CheckAddable(doc, id);
                release = ReleaseOf(doc, options);
                KratosVersionRules.Require(release, request, Description, id);
                return ChangePlanner.Add(doc, entry, _fields);
            }
            var preview = ChangeWriter.Prepare(ConfigFileStore.Read(ConfigPath), ConfigRoot, Plan);
            var done = ChangeWriter.Commit(preview, Plan, host, ConfigFileMessages.ChangeTarget(id, Description), $"Add {kind.Name} provider", LockTimeout);
            if (done == null) return null;
            if (done.Plan.Note != null) host.WriteVerbose(done.Plan.Note);
            host.WriteVerbose(ConfigFileMessages.Added(kind.Name, id, Description));
            var written = done.Written;
            return ToIdp(written, written.Items.Last(i => written.IdOf(i) == id), release);
        }

        public KratosIdp Set(string name, IdpSettings changes, OperationOptions options, ICoreHost host)
        {
            host = host ?? SilentHost.Instance;
            if (changes == null || changes.IsEmpty)
                throw new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument, ConfigFileMessages.NothingToChange(name), name);
            var request = IdpRequest.ForSet(changes, Rules);

            var content = ConfigFileStore.Read(ConfigPath);
            var current = ConfigFileStore.Parse(content, ConfigRoot);
            var plan = ChangePlanner.Set(current, name, request, _fields);
            var release = ReleaseOf(current, options);
            KratosVersionRules.Require(release, request, Description, name);
            if (plan.Changes.Count == 0)
            {
                host.WriteVerbose(ConfigFileMessages.AlreadySet(name, Description));
                return ToIdp(current, plan.Entry, release);
            }
            var preview = ChangeWriter.Prepare(content, current, ChangePlanner.Edits(current, plan));
            var what = string.Join(", ", plan.Changes.Select(c => _fields.ByKey(c.Key)?.Parameter ?? c.Key).Distinct());
            // When the file changed since the preview, the change is planned again on what is there now.
            PlannedChange PlanAgain(KratosConfigDocument doc)
            {
                plan = ChangePlanner.Set(doc, name, request, _fields);
                release = ReleaseOf(doc, options);
                KratosVersionRules.Require(release, request, Description, name);
                return ChangePlanner.Edits(doc, plan);
            }
            var done = ChangeWriter.Commit(preview, PlanAgain, host, ConfigFileMessages.ChangeTarget(name, Description), $"Set {what}", LockTimeout);
            if (done == null) return null;
            var written = done.Written;
            if (plan.Dropped.Count > 0)
                host.WriteWarning(ConfigFileMessages.KindChanged(name, plan.OldKind?.Name, plan.NewKind.Name, plan.Dropped));
            var b = IdpReader.RedirectBase(written, null);
            if (plan.NewId != null)
            {
                var uri = b == null ? null : RedirectUriOf(b, plan.NewId, plan.Result);
                host.WriteWarning(ConfigFileMessages.IdChanged(name, plan.NewId, uri));
            }
            else if (b != null && RedirectUriOf(b, name, plan.Existing) != RedirectUriOf(b, name, plan.Result))
            {
                // -OrganizationId, or -Pkce force, moves the callback.
                host.WriteWarning($"The redirect URI of '{name}' is now {RedirectUriOf(b, name, plan.Result)} (it was {RedirectUriOf(b, name, plan.Existing)}): register it at the identity provider, or sign-in fails with a redirect URI mismatch.");
            }
            var finalId = plan.NewId ?? name;
            host.WriteVerbose(ConfigFileMessages.Changed(what, finalId, Description));
            return ToIdp(written, ChangePlanner.FindEntry(written, finalId), release);
        }

        private static string RedirectUriOf(string baseUrl, string id, ProviderEntry e)
            => RedirectUris.Build(baseUrl, id, e.ScalarText(FieldTable.Pkce.Key), e.ScalarText(FieldTable.OrganizationId.Key));

        public KratosIdp SetEnabled(string name, bool enabled, OperationOptions options, ICoreHost host)
        {
            throw new ExternalIdpException(ErrorIds.ParameterNotSupported, ErrorKind.InvalidOperation, ConfigFileMessages.NoPerProviderSwitch(enabled, name, ConfigPath), name);
        }

        public bool Remove(string name, OperationOptions options, ICoreHost host)
        {
            host = host ?? SilentHost.Instance;
            PlannedChange Plan(KratosConfigDocument doc) => ChangePlanner.Remove(doc, name);
            var preview = ChangeWriter.Prepare(ConfigFileStore.Read(ConfigPath), ConfigRoot, Plan);
            if (ChangeWriter.Commit(preview, Plan, host, ConfigFileMessages.ChangeTarget(name, Description), "Remove provider", LockTimeout) == null) return false;
            host.WriteVerbose(ConfigFileMessages.Removed(name, Description));
            return true;
        }

        // ------------------------------------------------------------------ URLs

        public KratosRedirectUri GetRedirectUri(string name, OperationOptions options, ICoreHost host)
        {
            host = host ?? SilentHost.Instance;
            var doc = Load();
            var item = ChangePlanner.FindEntry(doc, name);
            var e = item is YMapping m ? doc.Entry(m) : new ProviderEntry();
            var publicUrl = options?.PublicUrl;
            string baseUrl = IdpReader.RedirectBase(doc, publicUrl);
            if (baseUrl == null)
            {
                var template = new[] { doc.BaseRedirectUri, doc.PublicBaseUrl }.FirstOrDefault(x => !string.IsNullOrWhiteSpace(x));
                throw new ExternalIdpException(ErrorIds.RedirectUriUnavailable, ErrorKind.ObjectNotFound, ConfigFileMessages.RedirectUriUnavailable(name, ConfigPath, template), name);
            }
            var source = publicUrl != null ? "-PublicUrl" : doc.BaseRedirectUri == baseUrl ? "base_redirect_uri" : "serve.public.base_url";
            host.WriteVerbose(ConfigFileMessages.ComputingRedirectUri(name, source, baseUrl));
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
            var url = Load().PublicBaseUrl;
            if (string.IsNullOrWhiteSpace(url))
                throw new ExternalIdpException(ErrorIds.PublicUrlNotFound, ErrorKind.ObjectNotFound, ConfigFileMessages.NoPublicUrl(Description), ConfigPath);
            return new KratosPublicUrl
            {
                PublicUrl = url,
                Source = "serve.public.base_url",
                TargetType = TargetType,
                ConfigPath = ConfigPath,
                ConfigRoot = ConfigRoot,
            };
        }
    }
}
