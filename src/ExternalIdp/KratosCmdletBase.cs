using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using ExternalIdp.Core;

namespace ExternalIdp.Commands
{
    /// <summary>
    /// Base of every ExternalIdp cmdlet: the target parameters, the ICoreHost the core talks
    /// through (PowerShell streams, ShouldProcess, Ctrl+C), and the translation of core errors
    /// into ErrorRecords. Holds no static mutable state: each invocation has its own.
    /// </summary>
    /// <remarks>
    /// No public type of this assembly derives from, or implements, a type of ExternalIdp.Core:
    /// PowerShell loads every public type before the module initializer has hooked up the isolated
    /// load context that ExternalIdp.Core comes from (see ModuleInitializer). The ICoreHost is
    /// therefore a private adapter (<see cref="CoreHost"/>), not the cmdlet itself.
    /// </remarks>
    public abstract class KratosCmdletBase : PSCmdlet, IDisposable
    {
        /// <summary>Error id for a failure the core did not anticipate (a bug or an environment problem).</summary>
        public const string UnexpectedErrorId = "KratosIdpUnexpectedError";

        /// <summary>Error id when a confirmation was asked for but the session can't prompt (pwsh -NonInteractive, a runbook).</summary>
        public const string ConfirmationUnavailableErrorId = "KratosIdpConfirmationUnavailable";

        /// <summary>Error ids after which nothing else of this invocation can work.</summary>
        private static readonly HashSet<string> TargetFatal = new HashSet<string>(StringComparer.Ordinal)
        {
            ErrorIds.ConfigFileNotFound, ErrorIds.ConfigFileInvalid, ErrorIds.JujuNotFound,
            ErrorIds.JujuModelNotFound, ErrorIds.JujuKratosNotFound,
        };

        /// <summary>What to do about each error, when the core gave no RecommendedAction of its own (immutable).</summary>
        private static readonly Dictionary<string, string> DefaultActions = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ErrorIds.IdpNotFound] = "Check the name: Get-KratosIdp lists the IdPs of the target.",
            [ErrorIds.IdpAlreadyExists] = "Choose another -Name / -ProviderId, or change the existing IdP with Set-KratosIdpProvider.",
            [ErrorIds.InvalidConfiguration] = "Fix the parameters named in the message and run the command again; nothing was changed.",
            [ErrorIds.UnknownProvider] = "Give one of the provider kinds listed in the message (tab completion of -Provider lists them).",
            [ErrorIds.ProviderNotSupported] = "Use a Kratos config file (-ConfigPath) for this provider kind.",
            [ErrorIds.ParameterNotSupported] = "Remove the parameters named in the message, or use the target they apply to.",
            [ErrorIds.ConfigFileNotFound] = "Check -ConfigPath: it must name an existing Kratos config file.",
            [ErrorIds.ConfigFileInvalid] = "Fix the file at the place named in the message (or -ConfigRoot), then run the command again.",
            [ErrorIds.ConfigFileUnsupported] = "Make the change by hand, or rewrite the construct named in the message as plain YAML.",
            [ErrorIds.ConfigFileLocked] = "Wait for the other process that edits the file to finish, then run the command again.",
            [ErrorIds.ConfigFileWriteFailed] = "Check the permissions and free space of the file's folder; the original file was kept.",
            [ErrorIds.RedirectUriUnavailable] = "Pass -PublicUrl, or set the public URL of Kratos in its configuration.",
            [ErrorIds.PublicUrlNotFound] = "Set serve.public.base_url in the Kratos config (or its traefik route on Juju), or pass -PublicUrl.",
            [ErrorIds.JujuNotFound] = "Install the juju CLI and make sure it is on PATH, or give -ConfigPath to work on a config file.",
            [ErrorIds.JujuModelNotFound] = "Check -Model ([controller:]model); juju models lists them.",
            [ErrorIds.JujuKratosNotFound] = "Check -KratosApplication; juju status lists the applications of the model.",
            [ErrorIds.JujuCommandFailed] = "Read juju's message above; fix its cause and run the command again.",
            [ErrorIds.JujuTimeout] = "Check the model with juju status, then run again, with a larger -TimeoutSec if it is just slow.",
            [ErrorIds.JujuUnsafeValue] = "Give a value that YAML reads as the same text: not a number, true/false (or yes/no/on/off), null or ~, nothing that starts with a YAML indicator (* & ! ' \" [ { | > # % @ `), no line breaks, ': ' or ' #'. For a value you can't choose, such as a numeric app id, manage the IdP in a Kratos config file (-ConfigPath).",
            [ErrorIds.JujuIdpBlocked] = "Fix the settings named in the status message with Set-KratosIdpProvider (juju debug-log has details).",
            [ErrorIds.JujuPartialState] = "Run the same Add-KratosIdp command again to finish.",
            [ErrorIds.NotSupportedByVersion] = "Leave out what the message names, or upgrade Kratos first; when Kratos already runs a newer release than the one named, give it with -KratosVersion (or the config file's top-level version: key).",
        };

        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        private readonly List<string> _secrets = new List<string>();
        private int _progressId = -1;
        private object _coreHost;

        /// <summary>The ICoreHost of this invocation, passed to the core (streams, ShouldProcess, Ctrl+C).</summary>
        internal ICoreHost CoreHost => (ICoreHost)(_coreHost ?? (_coreHost = new HostAdapter(this)));

        /// <summary>A Kratos config file (kratos.yml / .json, or a Helm values.yaml with -ConfigRoot). Without it, the Juju model is the target.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Path")]
        public string ConfigPath { get; set; }

        /// <summary>Dotted path of the Kratos config inside a bigger YAML file, e.g. kratos.config for the Ory Helm chart's values.yaml.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string ConfigRoot { get; set; }

        /// <summary>The Juju model ([controller:]model); default: the current model.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string Model { get; set; }

        /// <summary>The kratos application in the Juju model; default: kratos.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string KratosApplication { get; set; }

        /// <summary>Juju: seconds before a juju command that hangs (or -Wait) is given up. Refused for a config file by the cmdlets that run juju.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = 300;

        /// <summary>
        /// The Kratos release of the target (v1.1.0, 1.1, 26.2), instead of the one it records (the config
        /// file's version: key, the kratos application's workload version on Juju). Not bound from piped
        /// objects: their KratosVersion may be one that was only assumed.
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(KratosVersionCompleter))]
        public string KratosVersion { get; set; }

        protected override void StopProcessing()
        {
            try { _cancel.Cancel(); } catch (ObjectDisposedException) { }
        }

        public void Dispose()
        {
            _cancel.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>True when the effective target of this record is a config file.</summary>
        protected bool TargetsConfigFile => !string.IsNullOrEmpty(ConfigPath);

        /// <summary>
        /// The target of the current record (a fresh one per record: no target is kept across
        /// records or invocations). A failure here stops the command.
        /// </summary>
        protected IIdpTarget OpenTarget()
        {
            IIdpTarget target = null;
            Invoke(() =>
            {
                string path = null;
                // A -KratosVersion that is no release number stops the command before the target is read.
                KratosRelease.Given(KratosVersion);
                if (!string.IsNullOrEmpty(ConfigPath)) path = ResolveFilePath(ConfigPath, "ConfigPath");
                target = Targets.Open(path, NullIfEmpty(ConfigRoot), NullIfEmpty(Model), NullIfEmpty(KratosApplication));
            }, ConfigPath ?? Model, terminating: true);
            return target;
        }

        /// <summary>A PowerShell path (relative to the current location, ~, PSDrives) as a file-system path.</summary>
        protected string ResolveFilePath(string path, string parameter)
        {
            ProviderInfo provider;
            PSDriveInfo drive;
            string resolved;
            try
            {
                resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out drive);
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is DriveNotFoundException || ex is ProviderNotFoundException || ex is PSArgumentException || ex is NotSupportedException)
            {
                throw new ExternalIdpException(ErrorIds.ConfigFileNotFound, ErrorKind.ObjectNotFound,
                    $"-{parameter} '{path}' is not a usable file-system path ({ex.Message}). Give the path of the file, e.g. ./kratos.yml.", path);
            }
            if (provider == null || !string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
                throw new ExternalIdpException(ErrorIds.ConfigFileNotFound, ErrorKind.InvalidArgument,
                    $"-{parameter} '{path}' is on the {provider?.Name} provider, not the file system. Give the path of a file, e.g. ./kratos.yml.", path);
            return resolved;
        }

        protected static string NullIfEmpty(string s) => string.IsNullOrEmpty(s) ? null : s;

        /// <summary>The options every cmdlet passes to its target: -TimeoutSec and -KratosVersion.</summary>
        protected OperationOptions Options() => new OperationOptions { TimeoutSec = TimeoutSec, KratosVersion = NullIfEmpty(KratosVersion) };

        /// <summary>Refuses Juju-only parameters that were given for a config file.</summary>
        protected bool RefuseJujuOnly(params string[] parameterNames)
        {
            if (!TargetsConfigFile) return true;
            var given = new List<string>();
            foreach (var p in parameterNames)
                if (MyInvocation.BoundParameters.ContainsKey(p)) given.Add("-" + p);
            if (given.Count == 0) return true;
            var ex = new ExternalIdpException(ErrorIds.ParameterNotSupported, ErrorKind.InvalidArgument,
                $"{string.Join(", ", given)} {(given.Count == 1 ? "applies" : "apply")} only to a Juju model, not to the config file '{ConfigPath}'. Remove {string.Join(", ", given)}, or drop -ConfigPath to work on the Juju model.",
                ConfigPath);
            WriteError(ToErrorRecord(ex));
            return false;
        }

        /// <summary>
        /// The items whose name matches one of the -Name patterns (wildcards, case-insensitive; none
        /// given: all), each once, pattern by pattern in the target's order. A name without wildcards
        /// that matches nothing is a KratosIdpNotFound error (non-terminating); so is a bad pattern.
        /// </summary>
        protected List<T> SelectByName<T>(IReadOnlyList<T> all, Func<T, string> nameOf, string[] patterns, string targetDescription) where T : class
        {
            var names = patterns == null || patterns.Length == 0 ? new[] { "*" } : patterns;
            var emitted = new HashSet<T>();
            var result = new List<T>();
            foreach (var n in names)
            {
                if (string.IsNullOrEmpty(n)) continue;
                List<T> matched = null;
                if (!Invoke(() =>
                {
                    try
                    {
                        var pattern = WildcardPattern.Get(n, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
                        matched = all.Where(i => pattern.IsMatch(nameOf(i) ?? "")).ToList();
                    }
                    catch (WildcardPatternException ex)
                    {
                        throw new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument,
                            $"-Name '{n}' is not a valid wildcard pattern ({ex.Message}). Escape [ and ] with a backtick (`[), or give the plain name.", n);
                    }
                }, n)) continue;
                if (matched.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(n))
                {
                    var known = all.Count == 0 ? "none" : string.Join(", ", all.Select(nameOf));
                    WriteError(ToErrorRecord(new ExternalIdpException(ErrorIds.IdpNotFound, ErrorKind.ObjectNotFound,
                        $"No IdP named '{n}' in {targetDescription}. Existing IdPs: {known}. Check the name, or list them with Get-KratosIdp.", n)));
                    continue;
                }
                foreach (var i in matched)
                    if (emitted.Add(i)) result.Add(i);
            }
            return result;
        }

        /// <summary>Remembers a secret given to this invocation so that no text leaving the cmdlet can contain it.</summary>
        protected void RegisterSecret(SecretValue secret)
        {
            if (secret != null && !secret.IsEmpty) _secrets.Add(secret.Reveal());
        }

        protected string Scrub(string text) => string.IsNullOrEmpty(text) || _secrets.Count == 0 ? text : SecretScrubber.Scrub(text, _secrets);

        /// <summary>
        /// Runs a core call. ExternalIdpException → ErrorRecord (WriteError, or terminating for
        /// target-level failures / when asked); anything unexpected → a wrapped ErrorRecord.
        /// Returns false when it failed.
        /// </summary>
        protected bool Invoke(Action body, object targetObject, bool terminating = false)
        {
            ErrorRecord record = null;
            bool fatal = terminating;
            try
            {
                body();
            }
            catch (ExternalIdpException ex)
            {
                record = ToErrorRecord(ex, targetObject);
                fatal |= TargetFatal.Contains(ex.ErrorId);
            }
            catch (PipelineStoppedException) { throw; }
            catch (ActionPreferenceStopException) { throw; }
            catch (OperationCanceledException) when (Stopping || _cancel.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception ex)
            {
                record = UnexpectedErrorRecord(ex, targetObject);
            }
            if (record == null) return true;
            if (fatal) ThrowTerminatingError(record);
            else WriteError(record);
            return false;
        }

        protected T Invoke<T>(Func<T> body, object targetObject) where T : class
        {
            T result = null;
            Invoke(() => { result = body(); }, targetObject);
            return result;
        }

        protected ErrorRecord ToErrorRecord(ExternalIdpException ex, object fallbackTarget = null)
        {
            var message = Scrub(ex.Message);
            Exception carried = ex;
            if (!ReferenceEquals(message, ex.Message) && message != ex.Message)
                carried = new ExternalIdpException(ex.ErrorId, ex.Kind, message, ex.TargetObject) { RecommendedAction = ex.RecommendedAction };
            if (!Enum.TryParse(ex.Kind.ToString(), out ErrorCategory category)) category = ErrorCategory.NotSpecified;
            var record = new ErrorRecord(carried, ex.ErrorId, category, ex.TargetObject ?? fallbackTarget);
            var action = ex.RecommendedAction;
            if (string.IsNullOrEmpty(action)) DefaultActions.TryGetValue(ex.ErrorId, out action);
            if (!string.IsNullOrEmpty(action))
                record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = Scrub(action) };
            return record;
        }

        private ErrorRecord UnexpectedErrorRecord(Exception ex, object targetObject)
        {
            var inner = ex is AggregateException agg && agg.InnerExceptions.Count == 1 ? agg.InnerExceptions[0] : ex;
            var what = targetObject == null ? "" : $" for '{targetObject}'";
            var message = Scrub($"{MyInvocation.MyCommand.Name} failed unexpectedly{what}: {inner.GetType().Name}: {inner.Message} Nothing more was done. Run it again with -Verbose to see the last step, and report the problem if it persists.");
            var wrapped = new ExternalIdpException(UnexpectedErrorId, ErrorKind.NotImplemented, message, targetObject);
            return new ErrorRecord(wrapped, UnexpectedErrorId, ErrorCategory.NotSpecified, targetObject)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Run the command again with -Verbose; if it fails the same way, report it with that output." },
            };
        }

        // ---- ICoreHost -------------------------------------------------------------------

        // The core calls these on the pipeline thread only (the checks of Test-KratosIdp, which run on
        // other threads, report through their results), so they write straight to the streams.
        private void CoreWriteVerbose(string message) => WriteVerbose(Scrub(message));

        private void CoreWriteDebug(string message) => WriteDebug(Scrub(message));

        private void CoreWriteWarning(string message) => WriteWarning(Scrub(message));

        private void CoreWriteProgress(string activity, string status, int percent, bool completed)
        {
            var a = Scrub(string.IsNullOrEmpty(activity) ? MyInvocation.MyCommand.Name : activity);
            var s = Scrub(string.IsNullOrEmpty(status) ? "Working" : status);
            if (_progressId < 0) _progressId = Math.Abs(GetHashCode() % 100000) + 1;
            WriteProgress(new ProgressRecord(_progressId, a, s)
            {
                PercentComplete = percent < 0 ? -1 : Math.Min(percent, 100),
                RecordType = completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            });
        }

        private bool CoreShouldProcess(string target, string action)
        {
            try
            {
                return ShouldProcess(Scrub(target), Scrub(action));
            }
            catch (Exception ex) when (ex is PSInvalidOperationException || ex is System.Management.Automation.Host.HostException || ex is NotImplementedException)
            {
                // The host can't prompt (NonInteractive, no console): refuse clearly instead of failing half-way.
                throw new ExternalIdpException(ConfirmationUnavailableErrorId, ErrorKind.InvalidOperation,
                    $"A confirmation was asked for ({Scrub(action)} on {Scrub(target)}), but this PowerShell session can't prompt ({ex.Message}). Nothing was changed. Use -WhatIf to preview, or -Confirm:$false (or the default $ConfirmPreference) to run unattended.",
                    Scrub(target));
            }
        }

        /// <summary>What the core sees of the cmdlet: a private type, so loading the cmdlet types never needs ExternalIdp.Core.</summary>
        private sealed class HostAdapter : ICoreHost
        {
            private readonly KratosCmdletBase _cmdlet;
            public HostAdapter(KratosCmdletBase cmdlet) { _cmdlet = cmdlet; }
            public void WriteVerbose(string message) => _cmdlet.CoreWriteVerbose(message);
            public void WriteDebug(string message) => _cmdlet.CoreWriteDebug(message);
            public void WriteWarning(string message) => _cmdlet.CoreWriteWarning(message);
            public void WriteProgress(string activity, string status, int percent, bool completed) => _cmdlet.CoreWriteProgress(activity, status, percent, completed);
            public bool ShouldProcess(string target, string action) => _cmdlet.CoreShouldProcess(target, action);
            public CancellationToken Cancellation => _cmdlet._cancel.Token;
        }
    }
}
