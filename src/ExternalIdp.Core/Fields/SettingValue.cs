using System;
using System.Collections.Generic;
using System.Linq;

namespace ExternalIdp.Core
{
    /// <summary>What a SettingValue holds.</summary>
    public enum SettingKind
    {
        /// <summary>One string.</summary>
        Text,
        /// <summary>A list of strings (scope).</summary>
        List,
        /// <summary>A secret on its way to where it is stored.</summary>
        Secret,
        /// <summary>Anything else a config file may hold: a mapping, a list of non-strings, a number or boolean.</summary>
        Json,
    }

    /// <summary>
    /// The value of one provider setting: given by the user (text, list, secret) or read from a
    /// target (the same, or for a config file whatever else it holds). Immutable. An empty text or
    /// list given to Set means "remove the setting"; read from a file, an empty text is the file's "".
    /// </summary>
    public sealed class SettingValue
    {
        private static readonly string[] NoItems = new string[0];

        private SettingValue(SettingKind kind, string text, IReadOnlyList<string> list, SecretValue secret, object json)
        {
            Kind = kind;
            Text = text;
            List = list;
            Secret = secret;
            Json = json;
        }

        public SettingKind Kind { get; }

        /// <summary>Text: the string. Json: the text of a number or boolean (as a config file spells it), else null.</summary>
        public string Text { get; }

        /// <summary>List: the items; null for any other kind.</summary>
        public IReadOnlyList<string> List { get; }

        /// <summary>Secret: the secret; null for any other kind.</summary>
        public SecretValue Secret { get; }

        /// <summary>Json: the value as read (a dictionary, a list of objects, or a typed scalar); null for any other kind.</summary>
        internal object Json { get; }

        public static SettingValue Of(string text) => text == null ? null : new SettingValue(SettingKind.Text, text, null, null, null);

        public static SettingValue Of(IEnumerable<string> items) => items == null ? null : new SettingValue(SettingKind.List, null, items.ToArray(), null, null);

        public static SettingValue Of(SecretValue secret) => secret == null ? null : new SettingValue(SettingKind.Secret, null, null, secret, null);

        /// <summary>A structured or typed value read from a file; scalarText: the text of a number or boolean.</summary>
        internal static SettingValue OfJson(object plain, string scalarText) => new SettingValue(SettingKind.Json, scalarText, null, null, plain);

        /// <summary>
        /// A JSON value given as a structure: dictionaries (a hashtable), lists, strings, booleans, numbers
        /// and null, nested (any other value is taken as its text). Null for null.
        /// </summary>
        public static SettingValue OfStructure(object value) => value == null ? null : new SettingValue(SettingKind.Json, null, null, null, JsonText.FromObject(value));

        /// <summary>A value given as JSON text (the text of a Json row): the value it holds, or null when it is no JSON.</summary>
        internal static SettingValue OfJsonText(string json)
            => JsonText.TryParse(json, out var plain, out _) ? new SettingValue(SettingKind.Json, null, null, null, plain) : null;

        /// <summary>Json: the value as compact JSON (a typed scalar as written); null for any other kind.</summary>
        public string AsJson => Kind != SettingKind.Json ? null : Text ?? JsonText.ToJson(Json);

        /// <summary>An empty text, an empty list or an empty secret.</summary>
        public bool IsEmpty
            => Kind == SettingKind.Text ? Text.Length == 0
             : Kind == SettingKind.List ? List.Count == 0
             : Kind == SettingKind.Secret && Secret.IsEmpty;

        /// <summary>The items as an array (empty for a value that is no list).</summary>
        public string[] Items => List == null ? NoItems : List.ToArray();

        /// <summary>
        /// The plain form of the value, as the config-file writer and its checks compare values:
        /// string (secrets revealed: only for their way into the file), List&lt;object&gt; of strings, or the value read.
        /// </summary>
        internal object ToPlain()
        {
            switch (Kind)
            {
                case SettingKind.Text: return Text;
                case SettingKind.List: return List.Cast<object>().ToList();
                case SettingKind.Secret: return Secret.Reveal();
                default: return Json;
            }
        }

        /// <summary>Never shows a secret.</summary>
        public override string ToString()
        {
            switch (Kind)
            {
                case SettingKind.Text: return Text;
                case SettingKind.List: return string.Join(" ", List);
                case SettingKind.Secret: return Secret.ToString();
                default: return AsJson;
            }
        }
    }
}
