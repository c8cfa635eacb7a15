using System.Threading;

namespace ExternalIdp.Core
{
    /// <summary>
    /// What the core may tell the user or ask: implemented by the cmdlet (PowerShell streams,
    /// ShouldProcess) and by tests. Never pass a secret to any of these.
    /// </summary>
    public interface ICoreHost
    {
        void WriteVerbose(string message);
        void WriteDebug(string message);
        void WriteWarning(string message);
        /// <param name="activity">What is being done.</param>
        /// <param name="status">Where it is.</param>
        /// <param name="percent">0-100, or -1 when unknown.</param>
        /// <param name="completed">True to close the progress bar.</param>
        void WriteProgress(string activity, string status, int percent, bool completed);
        /// <summary>ShouldProcess(target, action): false means do nothing (-WhatIf, or the user said no).</summary>
        bool ShouldProcess(string target, string action);
        /// <summary>Signalled on Ctrl+C / StopProcessing.</summary>
        CancellationToken Cancellation { get; }
    }

    /// <summary>A host that says nothing and agrees to everything (tests, benchmarks).</summary>
    public sealed class SilentHost : ICoreHost
    {
        public static readonly SilentHost Instance = new SilentHost();
        public void WriteVerbose(string message) { }
        public void WriteDebug(string message) { }
        public void WriteWarning(string message) { }
        public void WriteProgress(string activity, string status, int percent, bool completed) { }
        public bool ShouldProcess(string target, string action) => true;
        public CancellationToken Cancellation => CancellationToken.None;
    }
}
