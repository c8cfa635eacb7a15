using System;
using System.Diagnostics;
using System.Linq;

namespace ExternalIdp.Core.Juju
{
    /// <summary>
    /// -Wait: polls juju status until an integrator is ready (or disabled), showing progress, and then
    /// reads its redirect URI. Gives up after -TimeoutSec, or at once when the integrator is blocked.
    /// </summary>
    internal sealed class Waiter
    {
        private readonly JujuClient _juju;
        private readonly TimeSpan _poll;
        private readonly string _where;

        public Waiter(JujuClient juju, TimeSpan pollInterval, string where)
        {
            _juju = juju;
            _poll = pollInterval;
            _where = where;
        }

        /// <summary>
        /// Waits for idp (its Status and StatusMessage follow what juju says) to be ready, or disabled;
        /// justIntegrated: a missing relation is still expected. When ready, fills in its redirect URI.
        /// </summary>
        public void WaitFor(KratosIdp idp, bool enabled, bool justIntegrated)
        {
            var host = _juju.Host;
            var activity = JujuMessages.WaitActivity(idp.Name, enabled);
            var limit = TimeSpan.FromSeconds(_juju.TimeoutSec);
            var watch = Stopwatch.StartNew();
            try
            {
                while (true)
                {
                    var s = _juju.Status();
                    if (!s.Apps.TryGetValue(idp.Name, out var app))
                        throw JujuMessages.NotFound(idp.Name, _where, s.Apps.Values.Where(a => a.Charm == CharmRules.Charm).Select(a => a.Name));
                    idp.Status = app.Status;
                    idp.StatusMessage = app.Message;
                    var percent = (int)Math.Min(99, watch.Elapsed.TotalSeconds * 100 / limit.TotalSeconds);
                    host.WriteProgress(activity, $"{app.Status}: {app.Message}", percent, false);
                    if (CharmRules.IsReady(app.Status, app.Message, enabled)) break;
                    if (CharmRules.IsBlocked(app.Status) && !(justIntegrated && CharmRules.IsMissingRelation(app.Message)))
                        throw JujuMessages.Blocked(idp.Name, app.Status, app.Message);
                    if (watch.Elapsed >= limit)
                    {
                        var timeout = JujuMessages.WaitTimedOut(idp.Name, enabled, (int)limit.TotalSeconds, app.Status, app.Message);
                        timeout.Data[JujuClient.StateGiven] = true;
                        throw timeout;
                    }
                    var wait = _poll < limit - watch.Elapsed ? _poll : limit - watch.Elapsed;
                    if (wait > TimeSpan.Zero && host.Cancellation.WaitHandle.WaitOne(wait))
                        host.Cancellation.ThrowIfCancellationRequested();
                }
            }
            finally
            {
                host.WriteProgress(activity, "done", 100, true);
            }
            if (!enabled) return;
            var uri = _juju.RedirectUri(idp.Name, out var reason);
            if (uri != null) { idp.RedirectUri = uri; idp.RedirectUriSource = "Action"; }
            else host.WriteWarning(JujuMessages.NoRedirectAfterWait(idp.Name, reason));
        }
    }
}
