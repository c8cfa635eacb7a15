using System;
using System.Collections.Generic;
using System.Linq;

namespace ExternalIdp.Core.Juju
{
    /// <summary>
    /// IdPs of a Canonical Identity Platform model: one kratos-external-idp-integrator application
    /// per IdP, related to the kratos application, driven through the juju CLI found on PATH. Puts
    /// together the charm's rules (CharmRules), the juju calls (JujuClient), the public URL
    /// (PublicUrlResolver) and -Wait (Waiter). Secrets never go on a command line: juju config reads
    /// them from standard input (--file -), and juju deploy from a private options file.
    /// </summary>
    public sealed partial class JujuTarget : IIdpTarget
    {
        public const string IntegratorCharm = CharmRules.Charm;
        public const string Endpoint = CharmRules.Endpoint;

        private readonly string _model;
        private readonly string _kratos;
        private readonly IDictionary<string, string> _env;
        private readonly string _tempDirectory;
        private readonly TimeSpan _pollInterval;
        private readonly CharmRules _charm = CharmRules.Default;
        private string _resolvedModel;

        public JujuTarget(string model, string kratosApplication) : this(model, kratosApplication, null) { }

        /// <summary>
        /// env overrides the environment of juju (PATH also decides which juju is found); tempDirectory: the folder
        /// for the options file of a juju that is not the snap (null: the user's temp folder); pollInterval: the
        /// pause between status polls of -Wait (null: 3 s).
        /// </summary>
        internal JujuTarget(string model, string kratosApplication, IDictionary<string, string> env, string tempDirectory = null, TimeSpan? pollInterval = null)
        {
            _model = string.IsNullOrWhiteSpace(model) ? null : model.Trim();
            _kratos = string.IsNullOrWhiteSpace(kratosApplication) ? "kratos" : kratosApplication.Trim();
            _env = env;
            _tempDirectory = tempDirectory;
            _pollInterval = pollInterval ?? TimeSpan.FromSeconds(3);
        }

        public string Model => _model;
        public string KratosApplication => _kratos;
        public string TargetType => "Juju";

        public string Description => _model != null
            ? $"Juju model '{_model}' (kratos application '{_kratos}')"
            : $"the current Juju model (kratos application '{_kratos}')";

        public void Stamp(KratosIdp idp)
        {
            idp.TargetType = TargetType;
            idp.Model = _model ?? _resolvedModel;
            idp.KratosApplication = _kratos;
            idp.ConfigPath = null;
            idp.ConfigRoot = null;
        }

        private T Stamped<T>(T o)
        {
            switch (o)
            {
                case KratosIdp i: Stamp(i); break;
                case KratosRedirectUri r: r.TargetType = TargetType; r.Model = _model ?? _resolvedModel; r.KratosApplication = _kratos; break;
                case KratosPublicUrl u: u.TargetType = TargetType; u.Model = _model ?? _resolvedModel; u.KratosApplication = _kratos; break;
            }
            return o;
        }

        public bool SupportsProvider(ProviderKind kind, out string reason)
        {
            reason = _charm.KindRefusal(kind);
            return kind.CharmSupported;
        }

        public IReadOnlyCollection<string> UnsupportedParameters => _charm.UnsupportedParameters;

        // ------------------------------------------------------------------ the model

        private JujuClient Juju(ICoreHost host, OperationOptions o)
            => new JujuClient(JujuCli.Locate(_model, _env), host, o, s =>
            {
                if (_model == null && s.ModelName != null) _resolvedModel = s.Controller != null ? s.Controller + ":" + s.ModelName : s.ModelName;
            });

        private void RequireKratos(Bundle b)
        {
            if (!b.Apps.ContainsKey(_kratos)) throw JujuMessages.KratosMissing(_kratos, Description, b.Apps.Keys);
        }

        private static void RequireName(string name)
        {
            if (string.IsNullOrWhiteSpace(name)) throw JujuMessages.NoName();
        }

        private static IEnumerable<string> Integrators(IEnumerable<BundleApp> apps) => apps.Where(a => a.Charm == IntegratorCharm).Select(a => a.Name);

        private BundleApp RequireIntegrator(Bundle b, string name)
        {
            RequireName(name);
            if (b.Apps.TryGetValue(name, out var app) && app.Charm == IntegratorCharm) return app;
            if (app != null) throw JujuMessages.NotAnIdp(name, Description, app.Charm);
            throw JujuMessages.NotFound(name, Description, Integrators(b.Apps.Values));
        }

        private bool IsRelated(Bundle b, string app) => b.Related(app, Endpoint, _kratos, Endpoint);

        /// <summary>The output object for an integrator's options (no secret kept).</summary>
        private KratosIdp ToIdp(string name, IDictionary<string, string> options, bool? related)
        {
            var idp = new KratosIdp { Name = name };
            IdpView.Fill(idp, _charm.EntryOf(options), _charm.Fields);
            idp.Provider = CharmRules.ProviderOf(options);
            idp.ProviderId = CharmRules.EffectiveId(options);
            idp.Enabled = CharmRules.IsEnabled(CharmRules.Option(options, CharmRules.EnabledOption));
            idp.Related = related;
            idp.Problems = IdpProblems.OfCharmOptions(idp.Provider, options, _charm.Fields).ToArray();
            return Stamped(idp);
        }

        /// <summary>
        /// The Kratos release of the model: -KratosVersion, else the workload version juju status shows for
        /// the kratos application, else the newest release ExternalIdp knows.
        /// </summary>
        private KratosRelease ReleaseOf(StatusApp kratos, OperationOptions options)
            => KratosRelease.Resolve(options?.KratosVersion, kratos?.Version, JujuMessages.VersionSource(_kratos), JujuMessages.NoVersion(_kratos));

        /// <summary>Says which release an IdP was checked against, and adds what it rejects in the entry the charm gives Kratos to the Problems.</summary>
        private void CheckedAgainst(KratosIdp idp, KratosRelease release, IDictionary<string, string> options)
        {
            if (release == null) return;
            idp.KratosVersion = release.Name;
            idp.KratosVersionSource = release.Source;
            var entry = _charm.EntryForKratos(options, idp.ProviderId, idp.Provider);
            idp.Problems = idp.Problems.Concat(KratosVersionRules.Problems(release, entry, _charm.Fields)).ToArray();
        }

        /// <summary>
        /// Refuses what the model's Kratos release doesn't accept in what a request writes. The release is read
        /// (juju status) only when it matters: when a release ExternalIdp knows would reject something written
        /// (the charm's options are keys every release has; only some kinds came later). Null when not read.
        /// </summary>
        private KratosRelease RequireRelease(IdpRequest request, OperationOptions options, JujuClient juju, object target)
        {
            var release = KratosRelease.Given(options.KratosVersion);
            if (release == null && KratosVersionRules.DependsOnRelease(KratosVersionRules.Written(request), _charm.Fields))
            {
                var status = JujuClient.BeforeChange(juju.Status);
                status.Apps.TryGetValue(_kratos, out var kratos);
                release = ReleaseOf(kratos, options);
            }
            KratosVersionRules.Require(release, request, Description, target);
            return release;
        }

        private void RequireUniqueId(Bundle b, string providerId, string except)
        {
            foreach (var other in b.Apps.Values)
            {
                if (other.Charm != IntegratorCharm || other.Name == except || !IsRelated(b, other.Name)) continue;
                if (string.Equals(CharmRules.EffectiveId(other.Options), providerId, StringComparison.Ordinal))
                    throw JujuMessages.IdTaken(providerId, other.Name, _kratos);
            }
        }

        /// <summary>-Wait after a change: a juju failure while waiting says the change itself was made (stateGiven).</summary>
        private void Wait(JujuClient juju, KratosIdp idp, bool enabled, bool justIntegrated, string stateGiven)
        {
            try { new Waiter(juju, _pollInterval, Description).WaitFor(idp, enabled, justIntegrated); }
            catch (ExternalIdpException e) when (JujuClient.IsJujuFault(e) && !e.Data.Contains(JujuClient.StateGiven))
            {
                throw JujuClient.WithState(e, stateGiven);
            }
        }

        // ------------------------------------------------------------------ Get

        public IReadOnlyList<KratosIdp> GetIdps(ICoreHost host, OperationOptions options = null)
        {
            var juju = Juju(host ?? SilentHost.Instance, options ?? new OperationOptions());
            var status = juju.Status();
            if (!status.Apps.TryGetValue(_kratos, out var kratos)) throw JujuMessages.KratosMissing(_kratos, Description, status.Apps.Keys);
            if (CharmRules.IsBlocked(kratos.Status))
                juju.Host.WriteWarning(JujuMessages.KratosBlocked(_kratos, kratos.Status, kratos.Message));
            var integrators = status.Apps.Values.Where(a => a.Charm == IntegratorCharm).OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
            var release = ReleaseOf(kratos, options);
            if (integrators.Count == 0) return new KratosIdp[0];
            juju.Host.WriteVerbose($"Checking the integrators against Kratos {release}.");
            var bundle = juju.Bundle();
            var list = new List<KratosIdp>();
            foreach (var a in integrators)
            {
                var charmOptions = bundle.Apps.TryGetValue(a.Name, out var ba) ? ba.Options : new Dictionary<string, string>();
                var idp = ToIdp(a.Name, charmOptions, a.RelatedTo(Endpoint, _kratos));
                CheckedAgainst(idp, release, charmOptions);
                idp.Status = a.Status;
                idp.StatusMessage = a.Message;
                list.Add(idp);
            }
            return list;
        }

        // ------------------------------------------------------------------ Add

        public KratosIdp Add(string name, IdpSettings settings, OperationOptions options, ICoreHost host)
        {
            host = host ?? SilentHost.Instance;
            options = options ?? new OperationOptions();
            if (settings == null) throw new ArgumentNullException(nameof(settings));

            // Everything that needs no juju first.
            var request = IdpRequest.ForAdd(settings, _charm, name);
            var kind = request.Kind;
            var charmOptions = _charm.OptionsOf(request, withProvider: true);
            if (name != null) CharmRules.ValidateAppName(name);
            var providerId = !string.IsNullOrEmpty(request.ProviderId) ? request.ProviderId
                : ProviderIds.Generate(kind, request.Text(FieldTable.ClientId), request.Text(FieldTable.IssuerUrl), request.Text(FieldTable.MicrosoftTenant));

            var juju = Juju(host, options);
            var release = RequireRelease(request, options, juju, name ?? request.ProviderId);
            var bundle = JujuClient.BeforeChange(juju.Bundle);
            RequireKratos(bundle);
            var (app, resume) = ChooseApplication(bundle, name, kind, request.ProviderId, charmOptions);
            RequireUniqueId(bundle, providerId, app);

            if (!host.ShouldProcess(JujuMessages.AddTarget(app, kind, providerId, Description), JujuMessages.AddAction(app, _kratos, resume)))
                return null;
            if (resume) host.WriteVerbose(JujuMessages.Resuming(app, _kratos));
            else juju.Deploy(app, options.Channel, charmOptions, _tempDirectory, JujuMessages.DeployTimedOut(app, _kratos), JujuMessages.DeployFailed);

            try { juju.Integrate(app, _kratos, JujuClient.SecretsOf(charmOptions)); }
            catch (ExternalIdpException e) when (e.ErrorId == ErrorIds.JujuTimeout && e.Data.Contains(JujuClient.RelationUnknown))
            {
                throw JujuMessages.RelationStopped(app, _kratos, resume, e);
            }
            catch (ExternalIdpException e) when (JujuClient.IsJujuFault(e))
            {
                throw JujuMessages.RelationFailed(app, _kratos, resume, e);
            }

            var shown = charmOptions.ToDictionary(kv => kv.Key, kv => kv.Value.Kind == SettingKind.Secret ? "(set)" : kv.Value.Text, StringComparer.Ordinal);
            var idp = ToIdp(app, shown, true);
            CheckedAgainst(idp, release, shown);
            if (options.Wait) Wait(juju, idp, true, justIntegrated: true, JujuMessages.AddWaitFailed(app, _kratos));
            return idp;
        }

        /// <summary>
        /// The application: the given name, or one derived from the provider id; an earlier Add of ours that
        /// stopped after deploy (same settings, not related) is finished instead of refused (resume).
        /// </summary>
        private (string app, bool resume) ChooseApplication(Bundle bundle, string name, ProviderKind kind, string providerId, List<KeyValuePair<string, SettingValue>> charmOptions)
        {
            if (name != null)
            {
                if (!bundle.Apps.TryGetValue(name, out var existing)) return (name, false);
                if (_charm.SameSettings(existing, charmOptions) && !IsRelated(bundle, name)) return (name, true);
                throw JujuMessages.AlreadyExists(name, Description, existing.Charm, IsRelated(bundle, name), _kratos);
            }
            var baseName = CharmRules.DeriveName(kind, providerId);
            for (int i = 1; ; i++)
            {
                var candidate = i == 1 ? baseName : baseName + i;
                if (!bundle.Apps.TryGetValue(candidate, out var existing)) return (candidate, false);
                if (!_charm.SameSettings(existing, charmOptions)) continue;
                if (IsRelated(bundle, candidate)) throw JujuMessages.AlreadyExists(candidate, Description, existing.Charm, true, _kratos);
                return (candidate, true);
            }
        }

        // ------------------------------------------------------------------ Set

        public KratosIdp Set(string name, IdpSettings changes, OperationOptions options, ICoreHost host)
        {
            host = host ?? SilentHost.Instance;
            options = options ?? new OperationOptions();
            if (changes == null) throw new ArgumentNullException(nameof(changes));
            var request = IdpRequest.ForSet(changes, _charm);

            var juju = Juju(host, options);
            var release = RequireRelease(request, options, juju, name);
            var bundle = JujuClient.BeforeChange(juju.Bundle);
            RequireKratos(bundle);
            var app = RequireIntegrator(bundle, name);
            var plan = _charm.PlanSet(name, app.Options, request);
            var after = new Dictionary<string, string>(app.Options, StringComparer.Ordinal);
            foreach (var k in plan.Reset) after.Remove(k);
            foreach (var kv in plan.Set) after[kv.Key] = CharmRules.Text(kv.Value);
            var oldId = CharmRules.EffectiveId(app.Options);
            var newId = CharmRules.EffectiveId(after);
            if (newId != oldId) RequireUniqueId(bundle, newId, name);

            var related = IsRelated(bundle, name);
            if (plan.Set.Count == 0 && plan.Reset.Count == 0)
            {
                host.WriteVerbose(JujuMessages.Unchanged(name));
                var same = ToIdp(name, after, related);
                CheckedAgainst(same, release, after);
                return same;
            }
            var what = plan.Set.Select(kv => _charm.ParameterOf(kv.Key)).Concat(plan.Reset.Select(k => _charm.ParameterOf(k) + " (reset)")).Distinct();
            if (!host.ShouldProcess($"IdP '{name}' in {Description}", "Set " + string.Join(", ", what)))
                return null;
            if (plan.Dropped.Count > 0)
                host.WriteVerbose(JujuMessages.Dropped(plan.NewKind, plan.Dropped.Select(d => _charm.Fields.ByKey(d).Flag).ToList()));
            juju.Config(name, plan.Set, plan.Reset, JujuMessages.SetTimedOut(name), JujuMessages.NothingChanged);
            if (newId != oldId) host.WriteWarning(JujuMessages.IdChanged(name, oldId, newId));

            var idp = ToIdp(name, after, related);
            CheckedAgainst(idp, release, after);
            if (options.Wait) Wait(juju, idp, idp.Enabled, justIntegrated: false, JujuMessages.SetWaitFailed(name));
            return idp;
        }

        // ------------------------------------------------------------------ Enable, Disable

        public KratosIdp SetEnabled(string name, bool enabled, OperationOptions options, ICoreHost host)
        {
            host = host ?? SilentHost.Instance;
            options = options ?? new OperationOptions();
            var release = KratosRelease.Given(options.KratosVersion);
            var juju = Juju(host, options);
            var bundle = JujuClient.BeforeChange(juju.Bundle);
            RequireKratos(bundle);
            var app = RequireIntegrator(bundle, name);
            var after = new Dictionary<string, string>(app.Options, StringComparer.Ordinal);
            var related = IsRelated(bundle, name);
            var state = enabled ? "enabled" : "disabled";
            var command = enabled ? "Enable-KratosIdp" : "Disable-KratosIdp";
            var flag = enabled ? "true" : "false";
            var changed = CharmRules.IsEnabled(app.Option(CharmRules.EnabledOption)) != enabled;
            if (!changed)
                host.WriteVerbose(JujuMessages.AlreadyInState(name, state));
            else
            {
                if (!host.ShouldProcess($"IdP '{name}' in {Description}", JujuMessages.EnableAction(enabled)))
                    return null;
                juju.ConfigPlain(name, CharmRules.EnabledOption, flag, JujuMessages.EnableTimedOut(name, state, command), JujuMessages.NothingChanged);
                after[CharmRules.EnabledOption] = flag;
            }
            var idp = ToIdp(name, after, related);
            CheckedAgainst(idp, release, after);
            // -Wait also waits for an IdP that already had the option: running the command again after a failed wait finishes it.
            if (options.Wait) Wait(juju, idp, enabled, justIntegrated: false, JujuMessages.EnableWaitFailed(name, enabled, changed, command));
            return idp;
        }

        // ------------------------------------------------------------------ Remove

        public bool Remove(string name, OperationOptions options, ICoreHost host)
        {
            host = host ?? SilentHost.Instance;
            options = options ?? new OperationOptions();
            var juju = Juju(host, options);
            var status = JujuClient.BeforeChange(juju.Status);
            if (string.IsNullOrWhiteSpace(name) || !status.Apps.TryGetValue(name, out var app))
                throw JujuMessages.NotFound(name, Description, status.Apps.Values.Where(a => a.Charm == IntegratorCharm).Select(a => a.Name));
            if (app.Charm != IntegratorCharm || name == _kratos)
                throw JujuMessages.NotAnIdpToRemove(name, Description, app.Charm);
            var related = app.RelatedTo(Endpoint, _kratos);
            var target = $"IdP '{name}' in {Description}";
            if (options.RemoveApplication)
            {
                if (!host.ShouldProcess(target, JujuMessages.RemoveAppAction(name, _kratos))) return false;
                juju.RemoveApplication(name, JujuMessages.RemoveAppTimedOut(name), JujuMessages.RemoveAppFailed(name, related, _kratos));
                return true;
            }
            if (!related)
            {
                host.WriteWarning(JujuMessages.NotRelated(name, _kratos));
                return false;
            }
            if (!host.ShouldProcess(target, JujuMessages.RemoveRelationAction(name, _kratos))) return false;
            if (juju.RemoveRelation(name, _kratos, JujuMessages.RemoveRelationTimedOut(name, _kratos), JujuMessages.StillRelated(name, _kratos))) return true;
            host.WriteVerbose(JujuMessages.RelationGone(name, _kratos));
            return false;
        }

        // ------------------------------------------------------------------ redirect URI, public URL

        public KratosRedirectUri GetRedirectUri(string name, OperationOptions options, ICoreHost host)
        {
            options = options ?? new OperationOptions();
            RequireName(name);
            var juju = Juju(host ?? SilentHost.Instance, options);
            var uri = juju.RedirectUri(name, out var reason);
            if (uri != null)
            {
                var id = uri.TrimEnd('/');
                id = Uri.UnescapeDataString(id.Substring(id.LastIndexOf('/') + 1));
                return Stamped(new KratosRedirectUri { Name = name, ProviderId = id, RedirectUri = uri, Source = "Action" });
            }

            var bundle = juju.Bundle();
            RequireKratos(bundle);
            var app = RequireIntegrator(bundle, name);
            var related = IsRelated(bundle, name);
            reason += JujuMessages.WhyNoAction(name, _kratos, related, CharmRules.IsEnabled(app.Option(CharmRules.EnabledOption)));
            if (options.ActionOnly) throw JujuMessages.RedirectUnavailable(name, reason, related);
            var providerId = CharmRules.EffectiveId(app.Options);
            var baseUrl = !string.IsNullOrWhiteSpace(options.PublicUrl) ? options.PublicUrl : PublicUrlResolver.Resolve(juju, _kratos, Description).PublicUrl;
            return Stamped(new KratosRedirectUri
            {
                Name = name,
                ProviderId = providerId,
                RedirectUri = RedirectUris.Build(baseUrl, providerId),
                Source = "Computed",
                Reason = reason,
            });
        }

        public KratosPublicUrl GetPublicUrl(OperationOptions options, ICoreHost host)
        {
            options = options ?? new OperationOptions();
            if (!string.IsNullOrWhiteSpace(options.PublicUrl))
                return Stamped(new KratosPublicUrl { PublicUrl = options.PublicUrl.Trim().TrimEnd('/'), Source = "parameter" });
            return Stamped(PublicUrlResolver.Resolve(Juju(host ?? SilentHost.Instance, options), _kratos, Description));
        }
    }
}
