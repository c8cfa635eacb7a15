using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading.Tasks;
using ExternalIdp.Core;
using ExternalIdp.Core.Checks;

namespace ExternalIdp.Commands
{
    /// <summary>
    /// Test-KratosIdp: checks that IdPs will work before a user tries to sign in. One
    /// ExternalIdp.KratosIdpCheck per check, or with -Quiet one boolean per IdP. Each target is
    /// read once per invocation; the checks of different IdPs run at the same time, and their
    /// results are written here, on the pipeline thread, IdP by IdP in the order they came.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "KratosIdp")]
    [OutputType(typeof(KratosIdpCheck))]
    [OutputType(typeof(bool))]
    public sealed class TestKratosIdpCommand : KratosCmdletBase
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(IdpNameCompleter))]
        public string[] Name { get; set; }

        /// <summary>Only the checks that need no network; the others are reported as Skipped.</summary>
        [Parameter]
        public SwitchParameter Offline { get; set; }

        /// <summary>One boolean per IdP: true when no check failed.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>Seconds each web request may take when -TimeoutSec is not given.</summary>
        private const int WebTimeoutSec = 10;

        // Held as object: the field types of this public class must not be ExternalIdp.Core types (see KratosCmdletBase).
        private object _checker;
        private readonly Dictionary<string, object> _inputs = new Dictionary<string, object>(StringComparer.Ordinal);
        private readonly HashSet<object> _queued = new HashSet<object>();
        private readonly Queue<object> _pending = new Queue<object>();

        protected override void ProcessRecord()
        {
            var target = OpenTarget();
            var key = target.TargetType + "|" + target.Description;
            CheckInput input;
            if (_inputs.TryGetValue(key, out var known)) input = (CheckInput)known;
            else
            {
                input = Invoke(() => target.ReadForChecks(CoreHost, Options()), ConfigPath ?? Model);
                if (input == null) return;
                _inputs[key] = input;
            }
            var selected = SelectByName(input.Idps, s => s.Idp.Name, Name, target.Description);
            var checker = Checker();
            foreach (var subject in selected)
            {
                if (!_queued.Add(subject)) continue;
                WriteVerbose($"Checking '{subject.Idp.Name}' ({subject.Idp.Provider}) of {target.Description}.");
                _pending.Enqueue(new Pending(subject, checker.CheckAsync(subject, input, CoreHost.Cancellation)));
            }
            WriteFinished(wait: false);
        }

        protected override void EndProcessing()
        {
            try { WriteFinished(wait: true); }
            finally { DisposeChecker(); }
        }

        private IdpChecker Checker()
        {
            if (_checker == null)
                _checker = new IdpChecker(new CheckOptions
                {
                    Offline = Offline.IsPresent,
                    // -TimeoutSec (the common parameter) limits each web request; unless given, 10 s
                    // (a juju read keeps the common default).
                    TimeoutSec = MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSec)) ? TimeoutSec : WebTimeoutSec,
                    KratosVersion = NullIfEmpty(KratosVersion),
                });
            return (IdpChecker)_checker;
        }

        private void DisposeChecker()
        {
            (_checker as IDisposable)?.Dispose();
            _checker = null;
        }

        /// <summary>Writes the results of the IdPs at the head of the queue that are done (all of them, waiting, when wait is set).</summary>
        private void WriteFinished(bool wait)
        {
            while (_pending.Count > 0)
            {
                var head = (Pending)_pending.Peek();
                if (!wait && !head.Task.IsCompleted) return;
                _pending.Dequeue();
                IReadOnlyList<KratosIdpCheck> results = null;
                if (!Invoke(() => { results = head.Task.GetAwaiter().GetResult(); }, head.Subject.Idp.Name) || results == null) continue;
                if (Quiet) WriteObject(results.All(r => r.Result != KratosIdpCheckResult.Fail));
                else foreach (var r in results) WriteObject(r);
            }
        }

        private sealed class Pending
        {
            public Pending(CheckSubject subject, Task<IReadOnlyList<KratosIdpCheck>> task) { Subject = subject; Task = task; }
            public CheckSubject Subject { get; }
            public Task<IReadOnlyList<KratosIdpCheck>> Task { get; }
        }
    }
}
