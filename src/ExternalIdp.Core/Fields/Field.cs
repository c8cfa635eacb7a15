using System;
using System.Collections.Generic;

namespace ExternalIdp.Core
{
    /// <summary>The kind of value a provider setting holds.</summary>
    public enum FieldType
    {
        /// <summary>One line of text.</summary>
        Text,
        /// <summary>A URL (its form is checked by the row's own check, or as an absolute URL in a file).</summary>
        Url,
        /// <summary>One of the row's Values.</summary>
        Enum,
        /// <summary>A list of strings.</summary>
        List,
        /// <summary>A JSON object (Kratos reads whatever it holds).</summary>
        Json,
        /// <summary>A secret: never shown, never on a command line.</summary>
        Secret,
    }

    /// <summary>
    /// One provider setting, described once: its Kratos key, the parameter that sets it, the
    /// integrator charm's option for it, the KratosIdp property that shows it, its value type and
    /// check, and the first Kratos release that accepts it. Rows live in a FieldTable, whose order
    /// is the order of keys in a new entry and of the parameters in help.
    /// </summary>
    public sealed class Field
    {
        internal Field(string key, FieldType type, string parameter = null, string charmOption = null, string property = null,
            string[] values = null, bool requiredByKratos = false, string firstRelease = null,
            IReadOnlyDictionary<string, string> valueFirstRelease = null, string hint = null,
            Func<Field, string, string> check = null, string altParameter = null)
        {
            Key = key ?? throw new ArgumentNullException(nameof(key));
            Type = type;
            Parameter = parameter;
            CharmOption = charmOption;
            Property = property;
            Values = values ?? new string[0];
            RequiredByKratos = requiredByKratos;
            FirstRelease = firstRelease;
            ValueFirstRelease = valueFirstRelease ?? new Dictionary<string, string>();
            Hint = hint;
            Check = check ?? (type == FieldType.Enum ? FieldChecks.OneOf : (Func<Field, string, string>)null);
            AltParameter = altParameter;
        }

        /// <summary>The key in Kratos's provider entry.</summary>
        public string Key { get; }

        public FieldType Type { get; }

        /// <summary>The PowerShell parameter (without the dash) that sets it on Add and Set; null when there is none yet.</summary>
        public string Parameter { get; }

        /// <summary>A second parameter that gives the same setting in another form (-JsonnetMapper: the mapper's source), or null.</summary>
        public string AltParameter { get; }

        /// <summary>The kratos-external-idp-integrator option that carries it; null when the charm has none.</summary>
        public string CharmOption { get; }

        /// <summary>The KratosIdp property that shows it (for a secret: a bool that says whether one is set); null: KratosIdp.OtherSettings.</summary>
        public string Property { get; }

        public bool IsSecret => Type == FieldType.Secret;

        /// <summary>Enum: the values Kratos accepts.</summary>
        public IReadOnlyList<string> Values { get; }

        /// <summary>Whether Kratos requires it in every provider entry.</summary>
        public bool RequiredByKratos { get; }

        /// <summary>The first Kratos release that accepts the key; null: as old as every release ExternalIdp knows.</summary>
        public string FirstRelease { get; }

        /// <summary>Enum values that came after their key: value → first release.</summary>
        public IReadOnlyDictionary<string, string> ValueFirstRelease { get; }

        /// <summary>What to give, for the message that says a kind requires it ("the Key ID of your Sign in with Apple key").</summary>
        public string Hint { get; }

        /// <summary>The check of a text value given for it (field, value → problem with its fix, or null); null: none.</summary>
        internal Func<Field, string, string> Check { get; }

        /// <summary>"-Parameter", or the Kratos key in quotes for a setting without a parameter.</summary>
        public string Flag => Parameter != null ? "-" + Parameter : $"'{Key}'";

        public override string ToString() => Key;
    }
}
