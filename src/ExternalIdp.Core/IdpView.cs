using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Reflection;

namespace ExternalIdp.Core
{
    /// <summary>
    /// How an entry shows on a KratosIdp, the same for every target: each row of the field table
    /// fills its property (a secret only the bool that says whether one is set); the rows without a
    /// property go to OtherSettings. Never copies a secret.
    /// </summary>
    internal static class IdpView
    {
        private static readonly ConcurrentDictionary<string, PropertyInfo> s_properties = new ConcurrentDictionary<string, PropertyInfo>(StringComparer.Ordinal);

        /// <summary>The KratosIdp property a row names (throws for a name KratosIdp has no property for: a mistake in the table).</summary>
        internal static PropertyInfo PropertyOf(Field f)
            => s_properties.GetOrAdd(f.Property, name => typeof(KratosIdp).GetProperty(name)
                ?? throw new InvalidOperationException($"The field table names the KratosIdp property '{name}' for '{f.Key}', which KratosIdp doesn't have."));

        /// <summary>Fills idp from entry, row by row of the table.</summary>
        public static void Fill(KratosIdp idp, ProviderEntry entry, FieldTable table)
        {
            foreach (var f in table.Rows)
            {
                var v = entry[f];
                if (f.Property != null) PropertyOf(f).SetValue(idp, ValueFor(f, v));
                else if (v != null && !f.IsSecret) idp.OtherSettings[f.Key] = Shown(v);
            }
        }

        private static object ValueFor(Field f, SettingValue v)
        {
            if (f.IsSecret) return v?.Kind == SettingKind.Secret ? !v.IsEmpty : !string.IsNullOrEmpty(v?.Text);
            if (f.Type == FieldType.List) return v?.List != null ? v.Items : new string[0];
            return v?.Kind == SettingKind.Json ? v.AsJson : v?.Text;
        }

        private static object Shown(SettingValue v)
        {
            switch (v.Kind)
            {
                case SettingKind.Text: return v.Text;
                case SettingKind.List: return v.Items;
                default: return (object)v.Text ?? v.ToPlain();
            }
        }
    }
}
