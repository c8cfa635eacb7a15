using System;
using System.Collections.Generic;
using System.Linq;

namespace ExternalIdp.Core.Juju
{
    /// <summary>
    /// The errors, warnings and ShouldProcess texts of the Juju target. Each says what happened,
    /// what state it left, and what to do; none holds a secret.
    /// </summary>
    internal static class JujuMessages
    {
        private const string Charm = CharmRules.Charm;
        private const string Endpoint = CharmRules.Endpoint;

        private static string List(IEnumerable<string> names) => string.Join(", ", names.DefaultIfEmpty("(none)"));

        private static string Or(IReadOnlyList<string> items)
            => items.Count <= 1 ? string.Join("", items) : string.Join(", ", items.Take(items.Count - 1)) + " or " + items[items.Count - 1];

        // ---------------------------------------------------------------- the juju CLI

        public static ExternalIdpException JujuNotOnPath(string exe)
            => new ExternalIdpException(ErrorIds.JujuNotFound, ErrorKind.NotInstalled,
                "The juju CLI was not found on PATH. Install it (Linux: 'sudo snap install juju --classic'; Windows and macOS: the installer from the Juju documentation), " +
                $"or add the folder that holds {exe} to PATH, then log in to the controller ('juju login' or 'juju register'). " +
                "To manage a Kratos config file instead, pass -ConfigPath.")
            {
                RecommendedAction = "Install the juju CLI or add it to PATH.",
            };

        public static ExternalIdpException NotStarted(string exe, Exception e)
            => new ExternalIdpException(ErrorIds.JujuNotFound, ErrorKind.NotInstalled,
                $"'{exe}' could not be started ({e.Message}). Check that it is the juju CLI and that you may run it, or fix PATH.", null, e);

        public static ExternalIdpException SnapWithoutHome(string exe)
            => new ExternalIdpException(ErrorIds.JujuCommandFailed, ErrorKind.InvalidOperation,
                $"'{exe}' is the juju snap, which reads files only from the home folder, but HOME is not set. Nothing was changed. Set HOME to the home folder of the user that runs juju.");

        public static ExternalIdpException CommandTimedOut(string display, int seconds)
            => new ExternalIdpException(ErrorIds.JujuTimeout, ErrorKind.OperationTimeout,
                $"'{display}' did not finish within {seconds} s, so it was stopped. The Juju controller may be unreachable or busy: check 'juju status' yourself, then try again, or give a larger -TimeoutSec.");

        public static ExternalIdpException ModelNotFound(string model, string text)
            => new ExternalIdpException(ErrorIds.JujuModelNotFound, ErrorKind.ObjectNotFound,
                $"Juju model '{model ?? "(current)"}' was not found ({text}). List the models with 'juju models' and pass -Model [controller:]model, or select one with 'juju switch'.", model);

        public static ExternalIdpException Unreachable(string display, string text, string fix)
            => new ExternalIdpException(ErrorIds.JujuCommandFailed, ErrorKind.ResourceUnavailable,
                $"'{display}' failed: {text}. Check that the Juju controller is reachable and that you are logged in ('juju status' should work), then try again." + (fix != null ? " " + fix : ""));

        public static ExternalIdpException CommandFailed(string display, string text, string fix)
            => new ExternalIdpException(ErrorIds.JujuCommandFailed, ErrorKind.InvalidOperation, $"'{display}' failed: {text}." + (fix != null ? " " + fix : ""));

        public static ExternalIdpException NotJson(string what, Exception e)
            => new ExternalIdpException(ErrorIds.JujuCommandFailed, ErrorKind.InvalidData,
                $"The output of '{what}' is not the JSON juju prints ({e.Message}). Check that 'juju' on PATH is the juju CLI and that it works: run '{what}' yourself.", null, e);

        public static ExternalIdpException NotBundle(string what, YamlDotNet.Core.YamlException e)
            => new ExternalIdpException(ErrorIds.JujuCommandFailed, ErrorKind.InvalidData,
                $"The output of '{what}' is not the YAML bundle juju prints (line {e.Start.Line}). Run '{what}' yourself to see what is wrong.", null, e);

        public static ExternalIdpException OptionsFileNotWritten(string dir, Exception inner)
            => new ExternalIdpException(ErrorIds.JujuCommandFailed, ErrorKind.WriteError,
                $"Could not write the private options file that passes the settings to juju ({inner.Message}). Nothing was changed. Check that the folder {dir} is writable (or can be created).", null, inner);

        public static ExternalIdpException OptionsFileNotPrivate()
            => new ExternalIdpException(ErrorIds.JujuCommandFailed, ErrorKind.PermissionDenied,
                "Could not make the options file private (chmod 600 failed), so no secret was written. Check its folder (the temp folder, TMPDIR, or ~/snap/juju/common for the juju snap) and try again.");

        // ---------------------------------------------------------------- what the charm can't hold

        public static ExternalIdpException KindNotInCharm(ProviderKind kind)
            => new ExternalIdpException(ErrorIds.ProviderNotSupported, ErrorKind.InvalidArgument,
                $"Provider '{kind.Name}' can't be used on Juju: {ProviderCatalog.CharmRefusal(kind)}.", kind.Name);

        public static ExternalIdpException NoOptionFor(IReadOnlyList<string> parameters, IReadOnlyList<string> keys)
            => new ExternalIdpException(ErrorIds.ParameterNotSupported, ErrorKind.InvalidArgument,
                $"{string.Join(", ", parameters.Select(p => "-" + p))} can't be set on Juju: the {Charm} charm has no option for {(parameters.Count == 1 ? "it" : "them")} (it has no {Or(keys)}). " +
                "Leave the parameter out, or manage this IdP in a Kratos config file (-ConfigPath).");

        public static ExternalIdpException MapperUrlNotSource(string mapperUrl)
            => new ExternalIdpException(ErrorIds.ParameterNotSupported, ErrorKind.InvalidArgument,
                $"-MapperUrl '{IdpRules.Printable(mapperUrl)}' can't be used on Juju: the {Charm} charm takes the jsonnet source itself (its jsonnet_mapper option), not a file:// or https:// URL that Kratos would read. " +
                "Pass the mapper with -JsonnetMapper (the jsonnet source or the path of a .jsonnet file), or a base64:// -MapperUrl.");

        public static string Misread(Field f, string value, string misread)
        {
            if (f == FieldTable.ApplePrivateKey && value.IndexOf('\n') >= 0)
                return $"{f.Flag} is a multi-line PEM key (value not shown), which would be read as {misread}.";
            return f.IsSecret
                ? $"{f.Flag} (value not shown) would be read as {misread}, not as text."
                : $"{f.Flag} '{IdpRules.Printable(value)}' would be read as {misread}, not as text.";
        }

        public static ExternalIdpException UnsafeValues(IEnumerable<string> problems)
            => new ExternalIdpException(ErrorIds.JujuUnsafeValue, ErrorKind.InvalidArgument,
                string.Join(" ", problems) + " The kratos charm writes integrator values into Kratos's YAML config without quotes, and Kratos reads that YAML and expects text: " +
                "it refuses its whole config when it reads anything else (kratos goes blocked: 'Failed to start the service'). Nothing was changed. " +
                "Use a value that YAML reads as text. A value you can't choose (a numeric app id, a secret issued to you) can't go through the kratos charm today: " +
                "manage that IdP in a Kratos config file (-ConfigPath), which ExternalIdp writes with the quoting it needs.");

        public static ExternalIdpException BadAppName(string name)
            => new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument,
                $"'{IdpRules.Printable(name)}' is not a valid Juju application name: use lowercase letters, digits and hyphens, start with a letter, and end every hyphen-separated part with a letter somewhere in it (e.g. github-idp, corp-entra-idp, google-idp2).", name);

        // ---------------------------------------------------------------- what is (not) in the model

        public static ExternalIdpException KratosMissing(string kratos, string where, IEnumerable<string> apps)
            => new ExternalIdpException(ErrorIds.JujuKratosNotFound, ErrorKind.ObjectNotFound,
                $"The kratos application '{kratos}' is not in {where}. Applications there: {List(apps)}. " +
                "Pass -KratosApplication with the name of the kratos application, or -Model with the model that holds it.", kratos);

        public static ExternalIdpException NotFound(string name, string where, IEnumerable<string> integrators)
            => new ExternalIdpException(ErrorIds.IdpNotFound, ErrorKind.ObjectNotFound,
                $"No IdP named '{name}' in {where}: there is no {Charm} application of that name. " +
                $"IdPs there: {List(integrators)}. Get-KratosIdp lists them.", name);

        public static ExternalIdpException NoName()
            => new ExternalIdpException(ErrorIds.IdpNotFound, ErrorKind.InvalidArgument, "No IdP name was given: pass -Name with the integrator application's name (Get-KratosIdp lists them).");

        public static ExternalIdpException NotAnIdp(string name, string where, string charm)
            => new ExternalIdpException(ErrorIds.IdpNotFound, ErrorKind.InvalidArgument,
                $"'{name}' in {where} is not an IdP: it is an application of charm '{charm}', not {Charm}. Give the name of an integrator application (Get-KratosIdp lists them).", name);

        public static ExternalIdpException NotAnIdpToRemove(string name, string where, string charm)
            => new ExternalIdpException(ErrorIds.IdpNotFound, ErrorKind.InvalidArgument,
                $"'{name}' in {where} is not an IdP: it is an application of charm '{charm}', and Remove-KratosIdp only removes {Charm} applications. Nothing was removed.", name);

        public static ExternalIdpException AlreadyExists(string name, string where, string charm, bool related, string kratos)
        {
            var what = charm == Charm
                ? $"an {Charm} application with other settings{(related ? $", related to {kratos}" : "")}"
                : $"an application of charm '{charm}'";
            return new ExternalIdpException(ErrorIds.IdpAlreadyExists, ErrorKind.ResourceExists,
                $"'{name}' already exists in {where}: it is {what}. Choose another -Name, change the existing IdP with Set-KratosIdpProvider, or remove it first (Remove-KratosIdp -RemoveApplication).", name);
        }

        public static ExternalIdpException IdTaken(string providerId, string other, string kratos)
            => new ExternalIdpException(ErrorIds.IdpAlreadyExists, ErrorKind.ResourceExists,
                $"Provider id '{providerId}' is already used by '{other}', which is related to {kratos}: Kratos would use only the first of two providers with one id. " +
                "Give a different -ProviderId, or change or remove the existing IdP first.", providerId);

        public static ExternalIdpException ProviderNotKratos(string name, string provider)
            => new ExternalIdpException(ErrorIds.InvalidConfiguration, ErrorKind.InvalidArgument,
                $"'{name}' is configured with provider '{provider}', which Kratos does not accept: give -Provider with one of {ProviderCatalog.CharmKindList} in the same command.", name);

        public static string KratosBlocked(string kratos, string status, string message)
            => $"The kratos application '{kratos}' is {status}: '{message}'. An IdP whose provider Kratos rejects (see Problems) or a broken setting can cause this; 'juju debug-log --include {kratos}' says more.";

        // ---------------------------------------------------------------- Add

        public static string AddTarget(string app, ProviderKind kind, string providerId, string where) => $"IdP '{app}' ({kind.Name}, provider id '{providerId}') in {where}";

        public static string AddAction(string app, string kratos, bool resume)
            => resume ? $"Integrate the existing {Charm} application '{app}' with '{kratos}'" : $"Deploy {Charm} as '{app}' and integrate it with '{kratos}'";

        public static string Resuming(string app, string kratos) => $"'{app}' is already deployed with these settings but not related to {kratos}: integrating it.";

        public static string DeployTimedOut(string app, string kratos)
            => $"So '{app}' may or may not have been deployed (it is not related to {kratos} either way). Run the same Add-KratosIdp command again: it deploys '{app}', or finishes the one deployed with these settings.";

        public const string DeployFailed = "Nothing was deployed; fix the cause and run Add-KratosIdp again.";

        public static ExternalIdpException RelationStopped(string app, string kratos, bool resume, ExternalIdpException e)
            => new ExternalIdpException(ErrorIds.JujuPartialState, ErrorKind.InvalidOperation,
                $"The {Charm} application '{app}' {(resume ? "exists" : "was deployed")} with its settings, but relating it to '{kratos}' was stopped: {e.Message} " +
                $"So '{app}' exists and may or may not be related to {kratos} yet. Run the same Add-KratosIdp command again to finish (it relates '{app}'; if it says the IdP already exists, the relation was made and nothing is left to do), " +
                $"or remove it with Remove-KratosIdp -Name {app} -RemoveApplication.", app, e);

        public static ExternalIdpException RelationFailed(string app, string kratos, bool resume, ExternalIdpException e)
            => new ExternalIdpException(ErrorIds.JujuPartialState, ErrorKind.InvalidOperation,
                $"The {Charm} application '{app}' {(resume ? "exists" : "was deployed")} with its settings, but relating it to '{kratos}' failed: {e.Message} " +
                $"So '{app}' exists and is not related to {kratos}: Kratos does not know this IdP yet. Run the same Add-KratosIdp command again to finish (it integrates the existing application), " +
                $"or remove it with Remove-KratosIdp -Name {app} -RemoveApplication.", app, e);

        public static string AlreadyRelated(string app, string kratos) => $"'{app}' is already related to {kratos}.";

        public static string AddWaitFailed(string app, string kratos)
            => $"The IdP itself was added: '{app}' is deployed and related to {kratos}; only waiting for it to be ready failed. Get-KratosIdp -Name {app} shows its state (don't run Add-KratosIdp again).";

        // ---------------------------------------------------------------- Set, Enable, Disable

        public static string Unchanged(string name) => $"'{name}' already has these settings: nothing to change.";

        public static string Dropped(ProviderKind kind, IReadOnlyList<string> parameters)
            => $"Provider '{kind.Name}' does not take {string.Join(", ", parameters)}: resetting {(parameters.Count == 1 ? "it" : "them")}.";

        public const string ConfigTimedOutSet = "Run the same Set-KratosIdpProvider command again: it sends only what still differs.";

        public static string SetTimedOut(string name)
            => $"So the settings of '{name}' may or may not have changed (juju applies them all or none). {ConfigTimedOutSet}";

        public const string NothingChanged = "Nothing was changed.";

        public static string IdChanged(string name, string oldId, string newId)
            => $"The provider id of '{name}' changed from '{oldId}' to '{newId}', so its redirect URI changed: register the new one at the identity provider (Get-KratosRedirectUri -Name {name}). Users who signed in through the old id lose their link to this IdP.";

        public static string SetWaitFailed(string name)
            => $"The settings of '{name}' were changed; only waiting for it to be ready failed. Get-KratosIdp -Name {name} shows its state.";

        public static string AlreadyInState(string name, string state) => $"'{name}' is already {state}.";

        public static string EnableAction(bool enabled) => enabled ? "Enable" : "Disable (Kratos stops offering it; the application and its settings stay)";

        public static string EnableTimedOut(string name, string state, string command)
            => $"So '{name}' may or may not be {state} now. Run the same {command} command again: it sets the option if it still differs.";

        public static string EnableWaitFailed(string name, bool enabled, bool changed, string command)
        {
            var state = enabled ? "enabled" : "disabled";
            var flag = enabled ? "true" : "false";
            return $"{(changed ? $"The option was set: '{name}' is {state} (enabled={flag})" : $"'{name}' was already {state}")}; only waiting for it to be {(enabled ? "ready" : "disabled")} failed. " +
                   $"Run the same {command} -Wait command again to wait again (it changes nothing more), or see its state with Get-KratosIdp -Name {name}.";
        }

        // ---------------------------------------------------------------- Remove

        public static string RemoveAppAction(string name, string kratos) => $"Remove the {Charm} application '{name}' (and its relation to '{kratos}')";

        public static string RemoveAppTimedOut(string name)
            => $"So '{name}' may or may not be on its way out. Run the same Remove-KratosIdp command again: it removes '{name}' if it is still there (if it says there is no such IdP, it is gone).";

        public static string RemoveAppFailed(string name, bool related, string kratos) => $"'{name}' was not removed{(related ? $" and is still related to {kratos}" : "")}.";

        public static string NotRelated(string name, string kratos)
            => $"'{name}' is not related to '{kratos}', so Kratos does not use it: nothing to unregister. Pass -RemoveApplication to remove the application itself.";

        public static string RemoveRelationAction(string name, string kratos) => $"Remove the relation between '{name}' and '{kratos}' (the application stays)";

        public static string RemoveRelationTimedOut(string name, string kratos)
            => $"So the relation between '{name}' and '{kratos}' may or may not have been removed (the application stays either way). Run the same Remove-KratosIdp command again to finish.";

        public static string RelationGone(string name, string kratos) => $"The relation between '{name}' and '{kratos}' was already gone.";

        public static string StillRelated(string name, string kratos) => $"'{name}' is still related to {kratos}: nothing was changed.";

        // ---------------------------------------------------------------- redirect URI, public URL, waiting

        public static string ActionDidNotRun(string text) => $"the get-redirect-uri action did not run: {text}";

        public static string ActionAnswered(string unit, string answer) => $"the get-redirect-uri action of {unit} answered '{answer}'";

        public static string WhyNoAction(string name, string kratos, bool related, bool enabled)
            => !related ? $" ('{name}' is not related to '{kratos}')"
             : !enabled ? $" ('{name}' is disabled)"
             : " (kratos may not have registered the provider yet; 'juju status' shows whether the integrator is active)";

        public static ExternalIdpException RedirectUnavailable(string name, string reason, bool related)
            => new ExternalIdpException(ErrorIds.RedirectUriUnavailable, ErrorKind.ResourceUnavailable,
                $"The redirect URI of '{name}' is not available from the charm: {reason}. " +
                (!related ? "Relate it first (Add-KratosIdp finishes a half-done registration), " : "Wait until the integrator is active ('The OIDC provider is ready'), ") +
                "or leave out -ActionOnly to get the URI computed from Kratos's public URL.", name);

        public static ExternalIdpException PublicUrlMissing(string where, string kratos, string why)
            => new ExternalIdpException(ErrorIds.PublicUrlNotFound, ErrorKind.ObjectNotFound,
                $"Kratos's public URL could not be found in {where}: {why}. Relate kratos to traefik (juju integrate {kratos}:public-route traefik-public:traefik-route), or pass -PublicUrl.");

        public static string WaitActivity(string name, bool enabled) => $"Waiting for IdP '{name}' to be {(enabled ? "ready" : "disabled")}";

        public static ExternalIdpException Blocked(string name, string status, string message)
            => new ExternalIdpException(ErrorIds.JujuIdpBlocked, ErrorKind.InvalidOperation, $"IdP '{name}' is {status}: '{message}'. " + BlockedHint(name, message), name);

        private static string BlockedHint(string app, string message)
        {
            if (CharmRules.IsInvalidConfig(message))
                return $"The charm refused its settings; 'juju debug-log --include {app}' says why. Fix them with Set-KratosIdpProvider -Name {app}.";
            if (CharmRules.IsMissingRelation(message))
                return $"It is not related to kratos: run Add-KratosIdp again with the same settings, or 'juju integrate {app}:{Endpoint} kratos:{Endpoint}'.";
            return $"Check 'juju status {app}' and 'juju debug-log --include {app}'.";
        }

        public static ExternalIdpException WaitTimedOut(string name, bool enabled, int seconds, string status, string message)
            => new ExternalIdpException(ErrorIds.JujuTimeout, ErrorKind.OperationTimeout,
                $"IdP '{name}' was not {(enabled ? "ready" : "disabled")} within {seconds} s (last status: {status} '{message}'). The change was made; " +
                $"check 'juju status {name}' and 'juju debug-log --include {name}', or wait longer with a larger -TimeoutSec.", name);

        public static string NoRedirectAfterWait(string name, string reason)
            => $"IdP '{name}' is ready but its redirect URI could not be read: {reason}. Get-KratosRedirectUri -Name {name} tries again.";

        // ---------------------------------------------------------------- Test-KratosIdp

        public static string NotRelatedBlocker(string name, string kratos)
            => $"'{name}' is not related to '{kratos}', so Kratos doesn't know it (juju integrate {name}:{Endpoint} {kratos}:{Endpoint})";

        public const string DisabledNote = "the integrator is disabled (enabled=false), so Kratos doesn't offer it: Enable-KratosIdp switches it on";

        public static string VersionSource(string kratos) => $"the workload version of '{kratos}' in juju status";

        public static string NoVersion(string kratos) => $"juju status shows no workload version for '{kratos}'";

        public const string NoIdentitySchema = "On Juju the identity schema is part of the kratos charm's configuration, which is not read here.";
    }
}
