using System;
using System.Collections.Generic;
using System.Linq;

namespace ExternalIdp.Core.Juju
{
    /// <summary>
    /// The juju calls of one operation, typed: status, export-bundle, deploy, integrate, config,
    /// remove-relation, remove-application and actions, each with -TimeoutSec. A call that changes the
    /// model says, when it fails or times out, what it left behind. Secrets go to juju through standard
    /// input or a private options file, and are scrubbed from what juju prints.
    /// </summary>
    internal sealed class JujuClient
    {
        /// <summary>Marks a stopped integrate: juju may have made the relation.</summary>
        public const string RelationUnknown = "ExternalIdp.RelationUnknown";
        /// <summary>Marks an error whose message already says what state the change left.</summary>
        public const string StateGiven = "ExternalIdp.StateGiven";

        private readonly JujuCli _cli;
        private readonly ICoreHost _host;
        private readonly Action<ModelStatus> _onStatus;

        public JujuClient(JujuCli cli, ICoreHost host, OperationOptions options, Action<ModelStatus> onStatus = null)
        {
            _cli = cli;
            _host = host;
            _onStatus = onStatus;
            TimeoutSec = options.TimeoutSec > 0 ? options.TimeoutSec : 300;
        }

        public ICoreHost Host => _host;

        /// <summary>Seconds each juju command may take (and -Wait as a whole).</summary>
        public int TimeoutSec { get; }

        /// <summary>A juju command that failed or was stopped after -TimeoutSec.</summary>
        public static bool IsJujuFault(ExternalIdpException e)
            => e.ErrorId == ErrorIds.JujuCommandFailed || e.ErrorId == ErrorIds.JujuTimeout;

        /// <summary>The same error, saying what the failed step left behind.</summary>
        public static ExternalIdpException WithState(ExternalIdpException e, string state)
            => new ExternalIdpException(e.ErrorId, e.Kind, e.Message.TrimEnd() + " " + state, e.TargetObject, e);

        /// <summary>Runs a step that comes before any change: a failure says that nothing was changed.</summary>
        public static T BeforeChange<T>(Func<T> step)
        {
            try { return step(); }
            catch (ExternalIdpException e) when (IsJujuFault(e)) { throw WithState(e, JujuMessages.NothingChanged); }
        }

        // ------------------------------------------------------------------ reading

        public ModelStatus Status()
        {
            var r = _cli.RunChecked(_host, TimeoutSec, null, "status", "--format=json");
            var s = JujuParsers.Status(r.Stdout, r.Display);
            _onStatus?.Invoke(s);
            return s;
        }

        public Bundle Bundle()
        {
            var r = _cli.RunChecked(_host, TimeoutSec, null, "export-bundle");
            return JujuParsers.Bundle(r.Stdout, r.Display);
        }

        public JujuVersion Version() => _cli.Version(_host, TimeoutSec);

        /// <summary>application-data of the relations on that endpoint of a unit.</summary>
        public List<Newtonsoft.Json.Linq.JObject> RelationData(string unit, string endpoint)
        {
            var r = _cli.RunChecked(_host, TimeoutSec, null, "show-unit", unit, "--endpoint", endpoint, "--format", "json");
            return JujuParsers.RelationData(r.Stdout, endpoint, r.Display);
        }

        /// <summary>
        /// Runs a charm action on a unit and waits for its result (run-action on juju 2.x, run on 3.x). juju itself
        /// waits -TimeoutSec for the action; it is given as long again (at most 15 s more) to say so before it is stopped.
        /// </summary>
        public JujuResult RunAction(string unit, string action)
        {
            var verb = Version().IsLegacy ? "run-action" : "run";
            return _cli.Run(_host, TimeoutSec + Math.Min(15, TimeoutSec), null, true, null, verb, unit, action, "--wait=" + TimeoutSec + "s", "--format", "json");
        }

        /// <summary>Runs get-redirect-uri on &lt;app&gt;/leader: the URI, or null and why not.</summary>
        public string RedirectUri(string app, out string reason)
        {
            reason = null;
            var r = RunAction(app + "/leader", "get-redirect-uri");
            var text = JujuCli.ErrorText(r);
            if (r.ExitCode != 0 && (JujuCli.IsModelNotFound(text) || JujuCli.IsConnection(text))) throw _cli.Failed(r, null);
            ActionResult result = null;
            try { result = JujuParsers.Action(r.Stdout, r.Display); }
            catch (ExternalIdpException) when (r.ExitCode != 0) { }
            if (result == null)
            {
                reason = JujuMessages.ActionDidNotRun(text);
                return null;
            }
            var uri = result.Results["redirect-uri"]?.ToString();
            if (!string.Equals(result.Status, "completed", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(uri))
            {
                reason = JujuMessages.ActionAnswered(result.Unit, result.Message ?? result.Status ?? "no redirect-uri");
                return null;
            }
            return uri;
        }

        /// <summary>The exception for a failed call (see JujuCli.Failed).</summary>
        public ExternalIdpException Failed(JujuResult r) => _cli.Failed(r, null);

        // ------------------------------------------------------------------ changing

        /// <summary>
        /// Runs a juju command that changes the model (input: its standard input): a failure says what it left
        /// (onFailure); a timeout, after which juju may or may not have made the change, says what to do (onTimeout).
        /// </summary>
        private void Change(IEnumerable<string> secrets, string input, string onTimeout, string onFailure, string command, params string[] args)
        {
            JujuResult r;
            try { r = _cli.Run(_host, TimeoutSec, secrets, true, input, command, args); }
            catch (ExternalIdpException e) when (onTimeout != null && e.ErrorId == ErrorIds.JujuTimeout) { throw WithState(e, onTimeout); }
            if (r.ExitCode != 0) throw _cli.Failed(r, onFailure);
        }

        /// <summary>deploy --config: the options through a private file in a folder this juju can read (the snap's /tmp is private).</summary>
        public void Deploy(string app, string channel, List<KeyValuePair<string, SettingValue>> options, string tempDirectory, string onTimeout, string onFailure)
        {
            var args = new List<string> { CharmRules.Charm, app };
            if (!string.IsNullOrEmpty(channel)) { args.Add("--channel"); args.Add(channel); }
            using (var file = OptionsFile.Create(_cli.FileFolder(tempDirectory), app, options))
            {
                args.Add("--config");
                args.Add(file.Path);
                Change(SecretsOf(options), null, onTimeout, onFailure, "deploy", args.ToArray());
            }
        }

        /// <summary>integrate (add-relation on juju 2.x) app and kratos on the integrator endpoint; a relation that exists already is fine.</summary>
        public void Integrate(string app, string kratos, IEnumerable<string> secrets)
        {
            var verb = Version().IsLegacy ? "add-relation" : "integrate";
            JujuResult r;
            try { r = _cli.Run(_host, TimeoutSec, secrets, true, null, verb, app + ":" + CharmRules.Endpoint, kratos + ":" + CharmRules.Endpoint); }
            catch (ExternalIdpException e) when (e.ErrorId == ErrorIds.JujuTimeout)
            {
                e.Data[RelationUnknown] = true; // stopped: juju may have made the relation
                throw;
            }
            if (r.ExitCode == 0) return;
            if (JujuCli.ErrorText(r).IndexOf("already exists", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                _host.WriteVerbose(JujuMessages.AlreadyRelated(app, kratos));
                return;
            }
            throw _cli.Failed(r, null);
        }

        /// <summary>config: the options through standard input (juju config --file -: no file, nothing on the command line), and the reset ones.</summary>
        public void Config(string app, List<KeyValuePair<string, SettingValue>> set, IReadOnlyList<string> reset, string onTimeout, string onFailure)
        {
            var args = new List<string> { app };
            string input = null;
            if (set.Count > 0)
            {
                input = OptionsFile.Text(app, set);
                args.Add("--file");
                args.Add("-");
            }
            if (reset.Count > 0) { args.Add("--reset"); args.Add(string.Join(",", reset)); }
            Change(SecretsOf(set), input, onTimeout, onFailure, "config", args.ToArray());
        }

        /// <summary>config app key=value, for an option that holds no secret (enabled).</summary>
        public void ConfigPlain(string app, string key, string value, string onTimeout, string onFailure)
            => Change(null, null, onTimeout, onFailure, "config", app, key + "=" + value);

        public void RemoveApplication(string app, string onTimeout, string onFailure)
        {
            var version = BeforeChange(Version);
            Change(null, null, onTimeout, onFailure, "remove-application", version.IsLegacy ? new[] { app } : new[] { app, "--no-prompt" });
        }

        /// <summary>remove-relation: true when removed, false when it was already gone.</summary>
        public bool RemoveRelation(string app, string kratos, string onTimeout, string onFailure)
        {
            JujuResult r;
            try { r = _cli.Run(_host, TimeoutSec, null, true, null, "remove-relation", app + ":" + CharmRules.Endpoint, kratos + ":" + CharmRules.Endpoint); }
            catch (ExternalIdpException e) when (e.ErrorId == ErrorIds.JujuTimeout) { throw WithState(e, onTimeout); }
            if (r.ExitCode == 0) return true;
            var text = JujuCli.ErrorText(r);
            if (text.IndexOf("not found", StringComparison.OrdinalIgnoreCase) >= 0 && text.IndexOf("relation", StringComparison.OrdinalIgnoreCase) >= 0)
                return false;
            throw _cli.Failed(r, onFailure);
        }

        /// <summary>The secrets among option values, to keep them out of what juju prints.</summary>
        public static List<string> SecretsOf(IEnumerable<KeyValuePair<string, SettingValue>> options)
            => options.Where(kv => kv.Value.Kind == SettingKind.Secret).Select(kv => kv.Value.Secret.Reveal()).ToList();
    }
}
