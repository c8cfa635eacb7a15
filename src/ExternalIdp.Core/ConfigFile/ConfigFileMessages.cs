using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ExternalIdp.Core.ConfigFile
{
    /// <summary>
    /// The texts the config-file target shows users (errors, warnings, verbose notes, problems of an
    /// entry), each built from its parameters, so that the code that raises them reads as what it does.
    /// </summary>
    internal static class ConfigFileMessages
    {
        private static string Lines(IEnumerable<int> lines) => string.Join(", ", lines.Select(l => "line " + l.ToString(CultureInfo.InvariantCulture)));

        /// <summary>The file as messages and the IIdpTarget Description name it: "path" or "path (root)".</summary>
        public static string Describe(string path, string configRoot) => configRoot == null ? path : $"{path} ({configRoot})";

        /// <summary>ShouldProcess's target for a change of one IdP.</summary>
        public static string ChangeTarget(string id, string description) => $"IdP '{id}' in {description}";

        // ------------------------------------------------------------------ the target's operations

        public static string ConfigPathEmpty() => "-ConfigPath is empty: give the path of the Kratos config file (kratos.yml or kratos.json).";

        public static string ReadEntries(int count, string description) => $"Read {count} provider entr{(count == 1 ? "y" : "ies")} from {description}.";

        public static string NoName() => "No IdP name given: give -Name with the provider id of the entry (see Get-KratosIdp).";

        public static string IdpNotFound(string name, string description, IReadOnlyCollection<string> ids, string path)
        {
            var known = ids.Count == 0 ? "There are no provider entries in it." : $"The provider ids there are: {string.Join(", ", ids)}.";
            return $"No IdP with the provider id '{IdpRules.Printable(name)}' in {description}. {known} Check -Name (Get-KratosIdp -ConfigPath {path} lists them).";
        }

        public static string SeveralEntries(string description, string name, IReadOnlyCollection<int> lines)
            => $"{description} has {lines.Count} entries with the provider id '{name}' (lines {string.Join(", ", lines)}); Kratos uses only the first. Remove or rename the extra entries by hand, then retry.";

        public static string NameAndProviderIdDiffer(string name, string providerId)
            => $"-Name '{IdpRules.Printable(name)}' and -ProviderId '{IdpRules.Printable(providerId)}' differ; on a config file both are the provider id. Give only one of them.";

        public static string GeneratedId(string id)
            => $"No provider id given: using '{id}', derived from the client id as the integrator charm does. It changes if the client id changes; give -ProviderId for a stable one.";

        public static string AlreadyExists(string id, string description, int line)
            => $"An IdP with the provider id '{id}' already exists in {description} (line {line}). Change it with Set-KratosIdpProvider, remove it first with Remove-KratosIdp, or give another -ProviderId.";

        public static string Added(string kind, string id, string description) => $"Added the {kind} provider '{id}' to {description}.";

        public static string NothingToChange(string name)
            => $"Nothing to change for '{IdpRules.Printable(name)}': give at least one setting (-Label, -Scope, -ClientId, -ClientSecret, -Provider, ...).";

        public static string AlreadySet(string name, string description) => $"The IdP '{name}' in {description} already has these settings; the file was not changed.";

        public static string EntryNotAMapping(string name, int line, string path) => $"The entry '{name}' at line {line} of {path} is not a mapping. Fix it by hand.";

        public static string EntryHasAnchorsOrTags(string name, int line, string path)
            => $"The entry '{name}' (line {line} of {path}) uses anchors, aliases, tags or merge keys, which can't be edited in place. Write it out plainly, then retry.";

        public static string UnknownProviderKind(string name, string provider)
            => $"The entry '{name}' has provider '{IdpRules.Printable(provider)}', which is not a Kratos provider kind. Give -Provider with the right kind ({string.Join(", ", ProviderCatalog.Names)}).";

        public static string RenameTaken(string name, string newId, int line, string path)
            => $"Can't rename '{name}' to '{newId}': another entry already has that provider id (line {line} of {path}). Choose another -ProviderId.";

        public static string KindChanged(string name, string oldKind, string newKind, IEnumerable<string> dropped)
            => $"The provider kind of '{name}' changed from '{oldKind}' to '{newKind}': removed {string.Join(", ", dropped)}, which '{newKind}' doesn't take.";

        /// <param name="redirectUri">The new redirect URI, or null when it can't be computed.</param>
        public static string IdChanged(string name, string newId, string redirectUri)
        {
            var uri = redirectUri == null ? "" : $" The redirect URI is now {redirectUri}: register it at the identity provider.";
            return $"The provider id changed from '{name}' to '{newId}'. Kratos links users as '<id>:<subject>', so users who signed in through '{name}' can no longer sign in through it until their links are migrated, and the redirect URI changes.{uri}";
        }

        public static string Changed(string what, string id, string description) => $"Changed {what} of the IdP '{id}' in {description}.";

        public static string NoPerProviderSwitch(bool enabled, string name, string path)
            => $"Kratos has no switch to turn one provider of a config file {(enabled ? "on" : "off")}: an entry in selfservice.methods.oidc.config.providers is active while it is there. To disable '{IdpRules.Printable(name)}', remove it with Remove-KratosIdp (keep a copy of its settings); to switch every external IdP off at once, set selfservice.methods.oidc.enabled: false in {path}.";

        public static string Removed(string name, string description) => $"Removed the IdP '{name}' from {description}.";

        /// <param name="template">The public URL the file gives as a template, or null when it gives none.</param>
        public static string RedirectUriUnavailable(string name, string path, string template)
        {
            var why = template != null
                ? $"{path} gives the public URL as the template '{IdpRules.Printable(template)}', which is expanded only when Kratos starts."
                : $"{path} sets neither serve.public.base_url nor selfservice.methods.oidc.config.base_redirect_uri.";
            return $"The redirect URI of '{name}' can't be computed: {why} Set serve.public.base_url (e.g. https://auth.example.com/) in the Kratos config, or pass -PublicUrl.";
        }

        public static string ComputingRedirectUri(string name, string source, string baseUrl) => $"Computing the redirect URI of '{name}' from {source} ({baseUrl}).";

        public static string NoPublicUrl(string description)
            => $"{description} has no serve.public.base_url. Add it to the Kratos config (serve:\n  public:\n    base_url: https://auth.example.com/), the URL at which browsers reach Kratos's public API.";

        // ------------------------------------------------------------------ problems of an entry (KratosIdp.Problems)

        public static string NotAMappingEntry(YNode item)
        {
            var what = item is YScalar ? "a single value" : item is YSequence ? "a list" : "an alias";
            return $"not a mapping: the entry at line {item.Line} is {what}, but Kratos expects a mapping with id, provider, client_id, mapper_url, ...";
        }

        // ------------------------------------------------------------------ the document (reasons; the document prefixes the path)

        public static string NoDocument() => "the file holds no YAML document. Give a Kratos config file (a YAML or JSON mapping with serve, selfservice, ...).";

        public static string RootNotAMapping(int line)
            => $"the document's root (line {line}) is not a mapping, so this is not a Kratos config. Give the Kratos config file (or -ConfigRoot for a config nested in a bigger YAML).";

        public static string ConfigRootNotFound(string configRoot, string dotted)
            => $"-ConfigRoot '{configRoot}' was not found: there is no '{dotted}' key. Give the dotted path of the Kratos config inside this file (e.g. kratos.config for the Ory Helm chart's values.yaml), or leave -ConfigRoot out for a plain kratos.yml.";

        public static string ConfigRootNotAMapping(string configRoot, string dotted, int line)
            => $"-ConfigRoot '{configRoot}': '{dotted}' (line {line}) is not a mapping. Give the dotted path of the mapping that holds the Kratos config (e.g. kratos.config).";

        public static string NotAMapping(string dotted, int line, string nextKey)
            => $"'{dotted}' (line {line}) is not a mapping. Kratos expects {dotted}.{nextKey} there; fix the file.";

        public static string ProvidersNotAList(string dotted, int line)
            => $"'{dotted}' (line {line}) is not a list. Kratos expects a list of provider entries (providers:\\n  - id: ...); fix the file.";

        public static string DuplicateKey(string dotted, IReadOnlyCollection<int> lines)
            => $"the key '{dotted}' appears {lines.Count} times ({Lines(lines)}); YAML readers disagree about which one counts. Remove the duplicates by hand, then retry.";

        public static string MergeKeyOnPath(string dotted, int line)
            => $"the mapping holding '{dotted}' uses a merge key '<<' (line {line}), which can't be edited in place. Write that mapping out without '<<', then retry.";

        public static string MayComeFromMergeKey(string dotted, int line)
            => $"'{dotted}' may come from the merge key '<<' at line {line}, which ExternalIdp doesn't follow. Write that mapping out without '<<', then retry.";

        public static string AliasOnPath(string dotted, string alias, int line)
            => $"'{dotted}' is an alias (*{alias}, line {line}); editing it would change the anchored node too. Replace the alias with the content, then retry.";

        public static string UnknownAnchor(string dotted, int line, string alias) => $"'{dotted}' (line {line}) is an alias to an unknown anchor '{alias}'. Fix the alias.";

        public static string AnchorOnPath(string dotted, string anchor, int line)
            => $"'{dotted}' carries an anchor (&{anchor}, line {line}) that other parts of the file may reuse; editing it would change them too. Remove the anchor (and its aliases), then retry.";

        public static string TagOnPath(string dotted, string tag, int line) => $"'{dotted}' carries a tag ({tag}, line {line}), which ExternalIdp doesn't edit. Remove the tag, then retry.";

        // ------------------------------------------------------------------ planning the text edits

        public static string ProvidersAnchorOrTag(int line) => $"the providers list (line {line}) carries an anchor or a tag, which ExternalIdp doesn't edit. Remove it, then retry.";

        public static string NoColonAfterKey(int line) => $"can't find the ':' after the key at line {line}. Write the key as 'key: value', then retry.";

        public static string CantDeleteKey(string key, int line) => $"can't delete the key '{key}' at line {line} in place. Edit the entry by hand.";

        public static string NoDashOfEntry(int line) => $"can't find the '-' of the provider entry at line {line}. Write each entry as '- id: ...', then retry.";

        public static string EntryNotOnItsOwnLine(int line) => $"the provider entry at line {line} doesn't start its own line. Edit it by hand.";

        public static string DuplicateKeyInEntry(int line, string key, int count) => $"the entry at line {line} has the key '{key}' {count} times. Remove the duplicates, then retry.";

        public static string CantRewriteEntry(int line) => $"can't rewrite the entry at line {line} in place. Edit it by hand.";

        public static string DuplicateEnabled(int count) => $"'enabled' appears {count} times under selfservice.methods.oidc. Remove the duplicates, then retry.";

        public static string EnabledHasAnchorOrTag(int line) => $"selfservice.methods.oidc.enabled (line {line}) has an anchor, alias or tag. Set it to true by hand, then retry.";

        // What an Add did to selfservice.methods.oidc.enabled (verbose notes).
        public const string EnabledSetInEmptyOidc = "Set selfservice.methods.oidc.enabled: true (the OIDC method was not configured).";
        public const string OidcCreated = "Created selfservice.methods.oidc with enabled: true.";
        public const string OidcCreatedUnconfigured = "Created selfservice.methods.oidc with enabled: true (the OIDC method was not configured).";
        public const string EnabledAdded = "Set selfservice.methods.oidc.enabled: true (it was missing, so the OIDC method was off).";

        public static string EnabledSwitchedOn(string was) => $"Switched selfservice.methods.oidc.enabled from '{IdpRules.Printable(was)}' to true: the OIDC method was off.";

        // ------------------------------------------------------------------ the check before a write

        public static string NotChanged(string path, string why)
            => $"{path} was not changed: {why}, so the edit could not be made in place without risk. Make this change by hand (or rewrite the providers section in plain block style), then retry.";

        // ------------------------------------------------------------------ the file: reading, parsing, lock, write

        public static string IsAFolder(string path) => $"{path} is a folder, not a Kratos config file. Give the path of the kratos.yml (or .json) file with -ConfigPath.";

        public static string FileMissing(string path)
            => $"The Kratos config file {path} does not exist. Check -ConfigPath (the file Kratos is started with, e.g. --config /etc/config/kratos/kratos.yml), or create the file first.";

        public static string CantRead(string path, string reason) => $"Can't read {path}: {reason} Check the file's permissions.";

        public static string NotUtf8(string path) => $"{path} is not UTF-8 text, so it is not a Kratos YAML/JSON config. Save it as UTF-8, or give the right file with -ConfigPath.";

        public static string NotParsable(string path, bool json, string reason, long line, long column)
            => $"{path} is not valid {(json ? "JSON" : "YAML")}: {reason} (line {line}, column {column}). Fix the file (a YAML or JSON Kratos config) or give the right one with -ConfigPath.";

        public static string SeveralDocuments(string path, int count, int secondLine)
            => $"{path} holds {count} YAML documents (the second starts at line {secondLine}); Kratos reads one. Split the file so the Kratos config is alone in its file, then retry.";

        /// <param name="holder">Who holds the lock as it described itself, or null.</param>
        public static string Locked(string path, string lockPath, string holder, string waited)
            => $"{path} is locked by another change in progress: {lockPath} is held " +
               (holder != null ? $"by {holder}" : "by another process (it left no description)") +
               $", and it was not released within {waited}. Wait for that change to finish and retry; if that process hangs, stop it (the OS releases its lock at once; don't delete {lockPath} while it runs).";

        public static string StoppedWaitingForLock(string path) => $"Stopped while waiting for the lock on {path}; nothing was changed.";

        public static string CantCreateLock(string lockPath, string reason, string path) => $"Can't create the lock file {lockPath}: {reason} You need write access to the folder of {path}.";

        public static string CantWrite(string named, string reason) => $"Can't write {named}: {reason} The file was left as it was. Check that you can write to it and to its folder.";
    }
}
