using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
using ExternalIdp.Core;
using ExternalIdp.Core.Checks;

namespace ExternalIdp.Commands
{
    internal static class CompletionHelpers
    {
        public static IEnumerable<CompletionResult> Complete(IEnumerable<(string value, string tooltip)> items, string wordToComplete)
        {
            var word = (wordToComplete ?? "").Trim('\'', '"');
            foreach (var (value, tooltip) in items)
            {
                if (!value.StartsWith(word, StringComparison.OrdinalIgnoreCase)) continue;
                var text = value.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ';', '(', ')', '{', '}', ',', '&', '@', '#' }) >= 0
                    ? "'" + value.Replace("'", "''") + "'"
                    : value;
                yield return new CompletionResult(text, value, CompletionResultType.ParameterValue, string.IsNullOrEmpty(tooltip) ? value : tooltip);
            }
        }

        public static string Bound(IDictionary fakeBoundParameters, string name)
        {
            if (fakeBoundParameters == null) return null;
            foreach (DictionaryEntry e in fakeBoundParameters)
            {
                if (!string.Equals(e.Key as string, name, StringComparison.OrdinalIgnoreCase)) continue;
                var v = e.Value is PSObject p ? p.BaseObject : e.Value;
                return v as string;
            }
            return null;
        }

        public static bool IsBound(IDictionary fakeBoundParameters, params string[] names)
            => names.Any(n => !string.IsNullOrEmpty(Bound(fakeBoundParameters, n)));
    }

    /// <summary>-Provider: the Kratos kinds (only those the integrator charm accepts when no -ConfigPath is bound).</summary>
    public sealed class ProviderCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var configFile = CompletionHelpers.IsBound(fakeBoundParameters, "ConfigPath", "Path");
            var kinds = configFile ? ProviderCatalog.All : ProviderCatalog.CharmKinds;
            return CompletionHelpers.Complete(kinds.Select(k => (k.Name, $"{k.Name} ({k.DisplayName})")), wordToComplete).ToList();
        }
    }

    /// <summary>-TenantId: the well-known Azure AD / Entra tenants (a GUID or domain can be typed).</summary>
    public sealed class TenantCompleter : IArgumentCompleter
    {
        private static readonly (string, string)[] Tenants =
        {
            ("common", "common: work/school and personal Microsoft accounts"),
            ("organizations", "organizations: work/school accounts of any tenant"),
            ("consumers", "consumers: personal Microsoft accounts only"),
        };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
            => CompletionHelpers.Complete(Tenants, wordToComplete).ToList();
    }

    /// <summary>-SubjectSource, -ClaimsSource, -Pkce: the values Kratos accepts (the field table's enum values).</summary>
    public sealed class EnumValueCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var values = FieldTable.Default.ByParameter(parameterName)?.Values ?? new string[0];
            return CompletionHelpers.Complete(values.Select(v => (v, v)), wordToComplete).ToList();
        }
    }

    /// <summary>
    /// -Name: the existing IdPs of the target. A config file is read; a Juju model is asked
    /// only within a 2-second budget (the completion is dropped, never waited on, after that).
    /// </summary>
    public sealed class IdpNameCompleter : IArgumentCompleter
    {
        private const int BudgetMs = 2000;

        private static readonly HashSet<string> DesiredStateCommands = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Export-KratosIdp", "Compare-KratosIdp", "Sync-KratosIdp",
        };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            try
            {
                // Export-, Compare- and Sync-KratosIdp: -Path is the desired-state file, not the Kratos config.
                var pathIsConfig = !DesiredStateCommands.Contains(commandName ?? "");
                var configPath = CompletionHelpers.Bound(fakeBoundParameters, "ConfigPath") ?? (pathIsConfig ? CompletionHelpers.Bound(fakeBoundParameters, "Path") : null);
                var configRoot = CompletionHelpers.Bound(fakeBoundParameters, "ConfigRoot");
                var model = CompletionHelpers.Bound(fakeBoundParameters, "Model");
                var kratos = CompletionHelpers.Bound(fakeBoundParameters, "KratosApplication");
                if (!string.IsNullOrEmpty(configPath)) configPath = ResolvePath(configPath);

                using (var host = new CompleterHost(BudgetMs))
                {
                    var task = Task.Run(() =>
                    {
                        var target = Targets.Open(configPath, configRoot, model, kratos);
                        return target.GetIdps(host).Select(i => (i.Name ?? "", $"{i.Name} ({i.Provider}, {i.ProviderId})")).ToList();
                    });
                    if (!task.Wait(BudgetMs)) { host.Cancel(); return Enumerable.Empty<CompletionResult>(); }
                    return CompletionHelpers.Complete(task.Result.Where(t => t.Item1.Length > 0), wordToComplete).ToList();
                }
            }
            catch (Exception)
            {
                // A completer never fails the user's typing: no completion instead.
                return Enumerable.Empty<CompletionResult>();
            }
        }

        /// <summary>Resolves a PowerShell path against the current location of the runspace that asks.</summary>
        private static string ResolvePath(string path)
        {
            var sb = ScriptBlock.Create("param($p) $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($p)");
            var r = sb.Invoke(path);
            return r.Count > 0 && r[0] != null ? r[0].BaseObject as string ?? path : path;
        }

        private sealed class CompleterHost : ICoreHost, IDisposable
        {
            private readonly CancellationTokenSource _cts;
            public CompleterHost(int ms) { _cts = new CancellationTokenSource(ms); }
            public void Cancel() { try { _cts.Cancel(); } catch (ObjectDisposedException) { } }
            public void Dispose() { /* the worker may still observe the token; it is cancelled by its timer */ }
            public void WriteVerbose(string message) { }
            public void WriteDebug(string message) { }
            public void WriteWarning(string message) { }
            public void WriteProgress(string activity, string status, int percent, bool completed) { }
            public bool ShouldProcess(string target, string action) => false;
            public CancellationToken Cancellation => _cts.Token;
        }
    }

    /// <summary>-KratosVersion: the Kratos releases whose provider keys ExternalIdp knows (any other version can be typed).</summary>
    public sealed class KratosVersionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
            => CompletionHelpers.Complete(KratosReleases.All.Reverse().Select(v => (v, $"Kratos {v}")), wordToComplete).ToList();
    }
}
