using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using ExternalIdp.Core;
using ExternalIdp.Core.DesiredState;

namespace ExternalIdp.Commands
{
    /// <summary>
    /// Base of Export-, Compare- and Sync-KratosIdp. Their target is given by their own parameters
    /// only: unlike Set and Remove they never take -ConfigPath or -Model from piped objects (those
    /// are the desired state, not the destination), and -Path is the desired-state file (so -ConfigPath
    /// has no Path alias here).
    /// </summary>
    public abstract class DesiredStateCmdletBase : KratosCmdletBase
    {
        /// <summary>The Kratos config file that is the target (never bound from the pipeline).</summary>
        [Parameter]
        public new string ConfigPath { get => base.ConfigPath; set => base.ConfigPath = value; }

        [Parameter]
        public new string ConfigRoot { get => base.ConfigRoot; set => base.ConfigRoot = value; }

        [Parameter]
        public new string Model { get => base.Model; set => base.Model = value; }

        [Parameter]
        public new string KratosApplication { get => base.KratosApplication; set => base.KratosApplication = value; }

        /// <summary>The stamp of the target (ConfigPath, Model, ...) for objects that are not KratosIdp.</summary>
        internal static KratosIdpDifference Stamped(KratosIdpDifference d, IIdpTarget target)
        {
            var probe = new KratosIdp();
            target.Stamp(probe);
            d.TargetType = probe.TargetType;
            d.ConfigPath = probe.ConfigPath;
            d.ConfigRoot = probe.ConfigRoot;
            d.Model = probe.Model;
            d.KratosApplication = probe.KratosApplication;
            return d;
        }
    }

    /// <summary>Export-KratosIdp: writes the IdPs of a target as a desired-state file, secrets by name only.</summary>
    [Cmdlet(VerbsData.Export, "KratosIdp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportKratosIdpCommand : DesiredStateCmdletBase
    {
        /// <summary>The desired-state file to write: YAML, or JSON when it ends in .json.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        public string Path { get; set; }

        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(IdpNameCompleter))]
        public string[] Name { get; set; }

        /// <summary>Refuse to replace an existing file.</summary>
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            if (!RefuseJujuOnly("TimeoutSec")) return;
            string path = null;
            if (!Invoke(() => { path = ResolveFilePath(Path, "Path"); }, Path, terminating: true)) return;
            if (NoClobber && File.Exists(path))
            {
                ThrowTerminatingError(ToErrorRecord(new ExternalIdpException(ErrorIds.DesiredStateFileError, ErrorKind.ResourceExists,
                    $"{path} exists and -NoClobber was given: nothing was written. Give another -Path, or leave out -NoClobber to replace it.", path)));
                return;
            }
            var target = OpenTarget();
            var read = Invoke(() => target.SyncDesired(new SyncRequest { DryRun = true }, new OperationOptions { TimeoutSec = TimeoutSec }, CoreHost), ConfigPath ?? Model);
            if (read == null) return;
            var idps = read.Snapshot.Idps;
            var idle = idps.Where(i => !i.Live).Select(i => i.Idp.Name).ToList();
            if (idle.Count > 0)
                WriteWarning($"Not exported, because Kratos doesn't use them (not related to its kratos application): {string.Join(", ", idle)}.");
            var selected = SelectByName(idps.Where(i => i.Live).ToList(), i => i.Idp.Name, Name, target.Description);
            var desired = selected.Select(i => DesiredFrom.Export(i)).ToList();
            var header = $"Desired state of the Kratos IdPs of {target.Description}, written by Export-KratosIdp.\n" +
                         "Secrets are named here, never written: give their values to Sync-KratosIdp with -Secret or -Vault.";
            var text = DesiredStateFile.Render(desired, DesiredStateFile.IsJson(path), header);
            if (!ShouldProcess(path, $"Write {desired.Count} IdP{(desired.Count == 1 ? "" : "s")} of {target.Description} as a desired-state file")) return;
            if (!Invoke(() => DesiredStateFile.Write(path, text), path)) return;
            WriteVerbose($"Wrote {desired.Count} IdP{(desired.Count == 1 ? "" : "s")} to {path}.");
            if (PassThru) WriteObject(new FileInfo(path));
        }
    }

    /// <summary>The desired-state input of Compare- and Sync-KratosIdp: -Path or the pipeline, and their secrets.</summary>
    public abstract class DesiredInputCmdletBase : DesiredStateCmdletBase
    {
        protected const string PathSet = "Path";
        protected const string InputSet = "InputObject";

        /// <summary>A desired-state file (YAML, or JSON when it ends in .json).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        public string Path { get; set; }

        /// <summary>KratosIdp objects (of any target) or hashtables / objects with settings properties.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputSet)]
        public PSObject InputObject { get; set; }

        /// <summary>Secret name → SecureString or PSCredential (its password).</summary>
        [Parameter]
        public Hashtable Secret { get; set; }

        /// <summary>A SecretManagement vault to read the named secrets from (Get-Secret -Vault).</summary>
        [Parameter]
        public string Vault { get; set; }

        /// <summary>Also the IdPs of the target that the desired state doesn't name (Compare: shown as Remove; Sync: removed).</summary>
        [Parameter]
        public SwitchParameter Prune { get; set; }

        private readonly List<object> _inputs = new List<object>();

        protected abstract bool DryRun { get; }

        protected override void ProcessRecord()
        {
            if (InputObject != null) _inputs.Add(InputObject);
        }

        protected override void EndProcessing()
        {
            if (!RefuseJujuOnly(JujuOnlyParameters)) return;
            var desired = ReadDesired();
            if (desired == null) return;
            ResolveSecrets(desired);
            var options = new OperationOptions { TimeoutSec = TimeoutSec };
            if (desired.Any(d => d.From != null))
            {
                List<DesiredIdp> filled = null;
                Invoke(() =>
                {
                    filled = Carried.Fill(desired,
                        i => Targets.Open(NullIfEmpty(i.ConfigPath), NullIfEmpty(i.ConfigRoot), NullIfEmpty(i.Model), NullIfEmpty(i.KratosApplication)),
                        options, CoreHost, (d, e) => WriteError(ToErrorRecord(e, d.Name)));
                }, null);
                if (filled == null) return;
                desired = filled;
            }
            foreach (var d in desired)
            {
                RegisterSecret(d.Settings.ClientSecret);
                RegisterSecret(d.Settings.ApplePrivateKey);
            }
            var target = OpenTarget();
            var request = new SyncRequest
            {
                Desired = desired,
                Prune = Prune.IsPresent,
                DryRun = DryRun,
                WantResults = WantResults,
                KratosVersion = NullIfEmpty(KratosVersion),
                RemoveApplication = RemoveApplicationValue,
            };
            var result = Invoke(() => target.SyncDesired(request, options, CoreHost), ConfigPath ?? Model);
            if (result == null) return;
            foreach (var plan in result.Plans)
            {
                if (plan.Error != null) WriteError(ToErrorRecord(plan.Error, plan.Name));
                Emit(plan, target);
            }
        }

        protected virtual string[] JujuOnlyParameters => new[] { "TimeoutSec" };
        protected virtual bool WantResults => false;
        protected virtual bool RemoveApplicationValue => false;

        /// <summary>Writes what the plan of one IdP gives (differences, or the resulting IdP).</summary>
        protected abstract void Emit(IdpPlan plan, IIdpTarget target);

        // ------------------------------------------------------------------ the desired state

        private List<DesiredIdp> ReadDesired()
        {
            if (ParameterSetName == PathSet)
            {
                List<DesiredIdp> fromFile = null;
                Invoke(() => { fromFile = DesiredStateFile.Load(ResolveFilePath(Path, "Path")); }, Path, terminating: true);
                return fromFile;
            }
            if (_inputs.Count == 0)
            {
                ThrowTerminatingError(ToErrorRecord(new ExternalIdpException(ErrorIds.DesiredStateInvalid, ErrorKind.InvalidArgument,
                    $"No desired state was given: pipe KratosIdp objects or hashtables to {MyInvocation.MyCommand.Name}, or give -Path with a desired-state file. (Nothing is compared or removed for an empty pipeline; a file with 'idps: {{}}' says 'no IdPs'.)")));
                return null;
            }
            var list = new List<DesiredIdp>();
            for (int i = 0; i < _inputs.Count; i++)
            {
                DesiredIdp d = null;
                if (Invoke(() => { d = DesiredInput.From(_inputs[i], i + 1); }, (_inputs[i] as PSObject)?.BaseObject ?? _inputs[i]) && d != null) list.Add(d);
            }
            return list;
        }

        /// <summary>Gives each named secret its value from -Secret or -Vault, or says why not (the planner decides whether it is needed).</summary>
        private void ResolveSecrets(List<DesiredIdp> desired)
        {
            var given = new Dictionary<string, SecretValue>(StringComparer.OrdinalIgnoreCase);
            if (Secret != null)
            {
                foreach (DictionaryEntry e in Secret)
                {
                    var key = Convert.ToString((e.Key as PSObject)?.BaseObject ?? e.Key, System.Globalization.CultureInfo.InvariantCulture);
                    var value = (e.Value as PSObject)?.BaseObject ?? e.Value;
                    SecretValue sv;
                    switch (value)
                    {
                        case SecureString ss: sv = new SecretValue(ss); break;
                        case PSCredential c when c.Password != null: sv = new SecretValue(c.Password); break;
                        default:
                            ThrowTerminatingError(ToErrorRecord(new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument,
                                $"-Secret '{key}' is {(value == null ? "empty" : "a " + value.GetType().Name)}: give each secret as a SecureString (Read-Host -AsSecureString, Get-Secret) or a PSCredential (its password is used), never as plain text.", key)));
                            return;
                    }
                    given[key] = sv;
                    RegisterSecret(sv);
                }
            }
            bool vault = !string.IsNullOrEmpty(Vault);
            if (vault && desired.Any(d => d.SecretNames.Keys.Any(k => DesiredSettings.ByFileKey(k) is DesiredSetting s && s.ValueIn(d.Settings) == null))
                && InvokeCommand.GetCommand("Get-Secret", CommandTypes.Cmdlet | CommandTypes.Function | CommandTypes.Alias) == null)
            {
                ThrowTerminatingError(ToErrorRecord(new ExternalIdpException(ErrorIds.SecretManagementNotFound, ErrorKind.NotInstalled,
                    $"-Vault '{Vault}' needs the Microsoft.PowerShell.SecretManagement module (its Get-Secret), which is not installed in this session. Install it (Install-PSResource Microsoft.PowerShell.SecretManagement) with a vault extension, register the vault (Register-SecretVault), or give the secrets with -Secret.", Vault)));
                return;
            }
            var fromVault = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            foreach (var d in desired)
            {
                foreach (var kv in d.SecretNames.ToList())
                {
                    var setting = DesiredSettings.ByFileKey(kv.Key);
                    if (setting == null || setting.ValueIn(d.Settings) != null) continue;
                    if (given.TryGetValue(kv.Value, out var v)) { setting.Assign(d.Settings, v); continue; }
                    if (!vault)
                    {
                        d.SecretProblems[kv.Key] = $"give it with -Secret @{{ '{kv.Value}' = <SecureString or PSCredential> }}, or -Vault <SecretManagement vault> holding a secret named '{kv.Value}'";
                        continue;
                    }
                    if (!fromVault.TryGetValue(kv.Value, out var got)) fromVault[kv.Value] = got = ReadVault(kv.Value);
                    if (got is SecretValue sv) setting.Assign(d.Settings, sv);
                    else d.SecretProblems[kv.Key] = (string)got;
                }
            }
        }

        /// <summary>The secret from Get-Secret -Vault (SecretValue), or why it could not be read (string).</summary>
        private object ReadVault(string name)
        {
            try
            {
                var found = InvokeCommand.InvokeScript(false, ScriptBlock.Create("param($n, $v) Get-Secret -Name $n -Vault $v -ErrorAction Stop"), null, name, Vault);
                var value = found.Count == 0 ? null : found[0]?.BaseObject;
                switch (value)
                {
                    case SecureString ss: var s = new SecretValue(ss); RegisterSecret(s); return s;
                    case PSCredential c when c.Password != null: var p = new SecretValue(c.Password); RegisterSecret(p); return p;
                    case null: return $"the vault '{Vault}' has no secret named '{name}' (Get-Secret returned nothing): add it with Set-Secret -Vault {Vault} -Name {name}, or give it with -Secret";
                    default: return $"the secret '{name}' of the vault '{Vault}' is a {value.GetType().Name}; store it as a SecureString or PSCredential (Set-Secret -Vault {Vault} -Name {name} -SecureStringSecret ...)";
                }
            }
            catch (Exception ex) when (ex is RuntimeException || ex is InvalidOperationException)
            {
                var inner = ex is ActionPreferenceStopException ap && ap.ErrorRecord != null ? ap.ErrorRecord.Exception.Message : ex.Message;
                return $"the vault '{Vault}' gave no secret named '{name}' ({Scrub(inner)}): add it with Set-Secret -Vault {Vault} -Name {name}, or give it with -Secret";
            }
        }
    }

    /// <summary>Compare-KratosIdp: what differs between a desired state and a target. Nothing written means in sync.</summary>
    [Cmdlet(VerbsData.Compare, "KratosIdp", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(KratosIdpDifference))]
    public sealed class CompareKratosIdpCommand : DesiredInputCmdletBase
    {
        protected override bool DryRun => true;

        protected override void Emit(IdpPlan plan, IIdpTarget target)
        {
            foreach (var d in plan.Differences) WriteObject(Stamped(d, target));
        }
    }

    /// <summary>Sync-KratosIdp: makes a target hold the desired state (one question per IdP; -Prune also removes extras).</summary>
    [Cmdlet(VerbsData.Sync, "KratosIdp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(KratosIdp))]
    public sealed class SyncKratosIdpCommand : DesiredInputCmdletBase
    {
        /// <summary>Writes the desired IdPs as they are after the Sync.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Juju: -Prune removes the integrator applications too (default: only their relation to kratos).</summary>
        [Parameter]
        public SwitchParameter RemoveApplication { get; set; }

        protected override bool DryRun => false;
        protected override bool WantResults => PassThru.IsPresent;
        protected override bool RemoveApplicationValue => RemoveApplication.IsPresent;
        protected override string[] JujuOnlyParameters => new[] { "TimeoutSec", "RemoveApplication" };

        protected override void Emit(IdpPlan plan, IIdpTarget target)
        {
            if (!PassThru || plan.Desired == null || plan.Result == null || plan.Error != null) return;
            target.Stamp(plan.Result);
            WriteObject(plan.Result);
        }
    }
}
