using System.Collections.Generic;
using System.Linq;

namespace ExternalIdp.Core
{
    /// <summary>
    /// Settings checked once, for one target: the kind resolved, every value checked by its row, the
    /// target's capabilities checked (kinds, settings it can carry, values it can't write), and for
    /// Add the kind's required settings present. A target that holds one only maps and writes; what
    /// depends on the IdP it changes (Set) is judged by IdpRules and IdpProblems against it.
    /// </summary>
    public sealed class IdpRequest
    {
        private readonly Dictionary<Field, SettingValue> _values;

        private IdpRequest(bool isAdd, FieldTable table, ProviderKind kind, List<KeyValuePair<Field, SettingValue>> values, string mapperSource, IReadOnlyList<string> parameters)
        {
            IsAdd = isAdd;
            Table = table;
            Kind = kind;
            Values = values;
            _values = values.ToDictionary(kv => kv.Key, kv => kv.Value);
            MapperSource = mapperSource;
            Parameters = parameters;
        }

        /// <summary>A new IdP (Add), or changes (Set).</summary>
        public bool IsAdd { get; }

        public FieldTable Table { get; }

        /// <summary>Add: the kind. Set: the kind given with -Provider, or null.</summary>
        public ProviderKind Kind { get; }

        /// <summary>The values given (not the provider), in table order; -JsonnetMapper as a base64:// mapper_url. Empty text or list: remove (Set).</summary>
        public IReadOnlyList<KeyValuePair<Field, SettingValue>> Values { get; }

        /// <summary>The value given for a row, or null.</summary>
        public SettingValue this[Field f] => _values.TryGetValue(f, out var v) ? v : null;

        /// <summary>The text given for a row, or null.</summary>
        public string Text(Field f) => this[f]?.Text;

        /// <summary>The mapper's jsonnet source when one was given (-JsonnetMapper, or a base64:// -MapperUrl decoded), "" to remove it, else null.</summary>
        public string MapperSource { get; }

        /// <summary>The parameters that were given, in table order (for messages).</summary>
        public IReadOnlyList<string> Parameters { get; }

        public bool IsEmpty => Parameters.Count == 0;

        /// <summary>The provider id the user gave, or null.</summary>
        public string ProviderId => Text(FieldTable.Id);

        /// <summary>
        /// Checks the settings of a new IdP for a target, in this order: the kind (KratosIdpUnknownProvider),
        /// the target's kinds (KratosIdpProviderNotSupported) and settings (KratosIdpParameterNotSupported),
        /// each value (KratosIdpInvalidConfiguration), the mapper's form, the kind's required settings
        /// (KratosIdpInvalidConfiguration), and the values the target can't write (JujuUnsafeValue).
        /// target: the object errors name.
        /// </summary>
        public static IdpRequest ForAdd(IdpSettings s, TargetRules rules, object target = null)
        {
            var kind = ProviderCatalog.Resolve(s.Provider);
            Throw(rules.RefuseKind(kind));
            Throw(rules.RefuseParameters(UnsupportedGiven(s, rules)));
            IdpRules.ValidateValues(s);
            var r = Build(true, s, kind, rules);
            IdpProblems.RequireComplete(kind, IdpRules.NewEntry(r, r.ProviderId, applyDefaults: false), target);
            Throw(rules.RefuseValues(r));
            return r;
        }

        /// <summary>
        /// Checks the changes of Set for a target, in this order: the settings the target can't carry,
        /// each value, the kind if one is given and the target's kinds, the mapper's form, and the values
        /// the target can't write. What the changes mean for the IdP is judged where it is read.
        /// </summary>
        public static IdpRequest ForSet(IdpSettings s, TargetRules rules)
        {
            Throw(rules.RefuseParameters(UnsupportedGiven(s, rules)));
            IdpRules.ValidateValues(s, rules.ProviderIdMayBeCleared);
            ProviderKind kind = null;
            if (s.Provider != null)
            {
                kind = ProviderCatalog.Resolve(s.Provider);
                Throw(rules.RefuseKind(kind));
            }
            var r = Build(false, s, kind, rules);
            Throw(rules.RefuseValues(r));
            return r;
        }

        private static IReadOnlyList<string> UnsupportedGiven(IdpSettings s, TargetRules rules)
            => s.GivenParameters().Where(rules.UnsupportedParameters.Contains).ToList();

        private static IdpRequest Build(bool isAdd, IdpSettings s, ProviderKind kind, TargetRules rules)
        {
            var mapperSource = rules.MapperSource(s);
            return new IdpRequest(isAdd, s.Table, kind, IdpRules.GivenFields(s).ToList(), mapperSource, s.GivenParameters().ToList());
        }

        private static void Throw(ExternalIdpException e)
        {
            if (e != null) throw e;
        }
    }
}
