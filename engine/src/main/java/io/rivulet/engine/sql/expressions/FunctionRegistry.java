package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.sql.AnalysisException;
import io.rivulet.engine.sql.parser.SqlParsers;
import io.rivulet.engine.types.ArrayType;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StructType;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The functions callable by name from an expression string (case-insensitive) and behind {@code functions.*}:
 * each with its arity and a builder that checks and coerces its resolved arguments into a node. Stateless and
 * thread-safe.
 */
public final class FunctionRegistry {
    /** Builds a resolved node from resolved arguments. */
    @FunctionalInterface
    interface Builder {
        Expression build(String name, List<Expression> args, Object param);
    }

    private record Entry(int minArgs, int maxArgs, Builder builder) {
    }

    private static final Map<String, Entry> FUNCTIONS = new TreeMap<>();

    static {
        register("lower", 1, 1, (n, a, p) -> string1(n, a, s -> ((String) s).toLowerCase(Locale.ROOT)));
        register("upper", 1, 1, (n, a, p) -> string1(n, a, s -> ((String) s).toUpperCase(Locale.ROOT)));
        register("trim", 1, 1, (n, a, p) -> string1(n, a, s -> strip((String) s, true, true)));
        register("ltrim", 1, 1, (n, a, p) -> string1(n, a, s -> strip((String) s, true, false)));
        register("rtrim", 1, 1, (n, a, p) -> string1(n, a, s -> strip((String) s, false, true)));
        register("length", 1, 1, (n, a, p) -> new ScalarFunction(n, List.of(str(n, a, 0)), DataTypes.IntegerType,
            true, false, v -> ((String) v[0]).codePointCount(0, ((String) v[0]).length())));
        register("concat", 1, Integer.MAX_VALUE, (n, a, p) -> new ScalarFunction(n, strs(n, a, 0), DataTypes.StringType,
            true, false, v -> {
                StringBuilder out = new StringBuilder();
                for (Object s : v) {
                    out.append((String) s);
                }
                return out.toString();
            }));
        register("concat_ws", 1, Integer.MAX_VALUE, (n, a, p) -> concatWs(n, a));
        register("substring", 2, 3, (n, a, p) -> substring(n, a));
        register("substr", 2, 3, (n, a, p) -> substring(n, a));
        register("regexp_extract", 2, 3, (n, a, p) -> regexpExtract(n, a));
        register("regexp_replace", 3, 3, (n, a, p) -> {
            Pattern pattern = literalPattern(n, a.get(1));
            return new ScalarFunction(n, List.of(str(n, a, 0), str(n, a, 1), str(n, a, 2)), DataTypes.StringType,
                true, false, v -> (pattern != null ? pattern : Pattern.compile((String) v[1]))
                    .matcher((String) v[0]).replaceAll((String) v[2]));
        });
        register("split", 2, 3, (n, a, p) -> {
            Pattern pattern = literalPattern(n, a.get(1));
            List<Expression> args = new ArrayList<>(List.of(str(n, a, 0), str(n, a, 1)));
            args.add(a.size() > 2 ? integer(n, a, 2) : Literal.of(-1, DataTypes.IntegerType));
            return new ScalarFunction(n, args, new ArrayType(DataTypes.StringType, false), true, false, v -> {
                int limit = (Integer) v[2];
                return List.of((pattern != null ? pattern : Pattern.compile((String) v[1]))
                    .split((String) v[0], limit > 0 ? limit : -1));
            });
        });
        register("like", 2, 2, (n, a, p) -> like(a.get(0), a.get(1), n));
        register("rlike", 2, 2, (n, a, p) -> {
            Pattern pattern = literalPattern(n, a.get(1));
            return new ScalarFunction("RLIKE", List.of(str(n, a, 0), str(n, a, 1)), DataTypes.BooleanType, true, false,
                v -> (pattern != null ? pattern : Pattern.compile((String) v[1])).matcher((String) v[0]).find());
        });
        register("regexp", 2, 2, FUNCTIONS.get("rlike").builder());
        register("startswith", 2, 2, (n, a, p) -> new ScalarFunction(n, strs(n, a, 0), DataTypes.BooleanType, true,
            false, v -> ((String) v[0]).startsWith((String) v[1])));
        register("endswith", 2, 2, (n, a, p) -> new ScalarFunction(n, strs(n, a, 0), DataTypes.BooleanType, true,
            false, v -> ((String) v[0]).endsWith((String) v[1])));
        register("contains", 2, 2, (n, a, p) -> new ScalarFunction(n, strs(n, a, 0), DataTypes.BooleanType, true,
            false, v -> ((String) v[0]).contains((String) v[1])));
        register("coalesce", 1, Integer.MAX_VALUE, (n, a, p) -> {
            DataType t = common(n, a);
            return new Conditionals.Coalesce(a.stream().map(e -> Coercion.cast(e, t)).toList(), t);
        });
        register("if", 3, 3, (n, a, p) -> Analyzer.caseWhen(List.of(a.get(0), a.get(1), a.get(2)), n));
        register("isnull", 1, 1, (n, a, p) -> new Predicates.NullTest(a.get(0), false));
        register("isnotnull", 1, 1, (n, a, p) -> new Predicates.NullTest(a.get(0), true));
        register("abs", 1, 1, (n, a, p) -> new Arithmetic.Unary("abs", numeric(n, a, 0)));
        register("round", 1, 2, (n, a, p) -> {
            Expression scale = a.size() > 1 ? a.get(1) : Literal.of(0, DataTypes.IntegerType);
            if (!(scale instanceof Literal l) || !(l.value() instanceof Integer)) {
                throw mismatch(n, a, "The second parameter requires a constant INT scale, got " + scale.sql());
            }
            return new Arithmetic.Round(numeric(n, a, 0), l);
        });
        register("from_json", 2, 2, (n, a, p) -> {
            StructType schema = schemaArg(n, a, p);
            return new ScalarFunction(n, List.of(str(n, a, 0)), schema, true, false,
                v -> JsonFunctions.fromJson((String) v[0], schema));
        });
        register("from_csv", 2, 2, (n, a, p) -> {
            StructType schema = schemaArg(n, a, p);
            return new ScalarFunction(n, List.of(str(n, a, 0)), schema, true, false,
                v -> JsonFunctions.fromCsv((String) v[0], schema));
        });
        register("to_json", 1, 1, (n, a, p) -> {
            DataType t = a.get(0).dataType();
            if (Coercion.isAtomic(t)) {
                throw mismatch(n, a, "The first parameter requires a STRUCT, ARRAY or MAP, however \""
                    + a.get(0).sql() + "\" has the type \"" + t.sql() + "\"");
            }
            return new ScalarFunction(n, List.of(a.get(0)), DataTypes.StringType, true, false,
                v -> JsonFunctions.toJson(v[0], t));
        });
        register("current_timestamp", 0, 0, (n, a, p) -> new TimeFunctions.CurrentTimestamp());
        register("now", 0, 0, (n, a, p) -> new TimeFunctions.CurrentTimestamp());
        register("to_timestamp", 1, 2, (n, a, p) -> toTimestamp(n, a));
        register("date_format", 2, 2, (n, a, p) -> {
            Expression ts = Coercion.cast(a.get(0), DataTypes.TimestampType);
            DateTimeFormatter format = formatArg(n, a, 1);
            return new ScalarFunction(n, List.of(ts, a.get(1)), DataTypes.StringType, true, false,
                v -> format.format((Instant) v[0]));
        });
        register("window", 2, 4, (n, a, p) -> window(n, a));
        register("session_window", 2, 2, (n, a, p) -> new TimeFunctions.SessionWindow(timeArg(n, a),
            duration(n, a, 1), Sql.render(n, Sql.of(a), null)));
        register("explode", 1, 1, (n, a, p) -> {
            if (!(a.get(0).dataType() instanceof ArrayType)) {
                throw mismatch(n, a, "The first parameter requires the \"ARRAY\" type, however \"" + a.get(0).sql()
                    + "\" has the type \"" + a.get(0).dataType().sql() + "\"");
            }
            return new ComplexAccess.Explode(a.get(0));
        });
        for (String agg : List.of("count", "sum", "avg", "mean", "min", "max", "first", "last", "collect_list",
            "collect_set", "approx_count_distinct", "count_distinct")) {
            register(agg, 1, agg.equals("approx_count_distinct") ? 2 : agg.equals("count_distinct") ? 1 : 1,
                FunctionRegistry::aggregate);
        }
    }

    private FunctionRegistry() {
    }

    private static void register(String name, int min, int max, Builder builder) {
        FUNCTIONS.put(name, new Entry(min, max, builder));
    }

    /**
     * @param name a function name.
     * @return whether it is known (case-insensitive).
     */
    public static boolean exists(String name) {
        return FUNCTIONS.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /**
     * @param name an unknown name.
     * @return the known names nearest to it (edit distance), at most five.
     */
    public static List<String> nearMatches(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return FUNCTIONS.keySet().stream().filter(f -> !f.equals("count_distinct"))
            .sorted(Comparator.comparingInt((String f) -> levenshtein(lower, f)).thenComparing(f -> f))
            .filter(f -> levenshtein(lower, f) <= Math.max(2, lower.length() / 2)).limit(5).toList();
    }

    /**
     * @return every function name.
     */
    public static List<String> names() {
        return List.copyOf(FUNCTIONS.keySet());
    }

    /**
     * Builds a call of a function on resolved arguments.
     *
     * @param name  the function's name (any case).
     * @param args  resolved arguments.
     * @param param the call's parameter (a from_json schema), or null.
     * @return the resolved node.
     * @throws AnalysisException if unknown, wrong arity, or argument types that do not fit.
     */
    public static Expression build(String name, List<Expression> args, Object param) {
        String key = name.toLowerCase(Locale.ROOT);
        Entry entry = FUNCTIONS.get(key);
        if (entry == null) {
            throw unknownFunction(name);
        }
        if (args.size() < entry.minArgs || args.size() > entry.maxArgs) {
            String expected = entry.minArgs == entry.maxArgs ? String.valueOf(entry.minArgs)
                : entry.maxArgs == Integer.MAX_VALUE ? "> " + (entry.minArgs - 1)
                : "[" + rangeList(entry.minArgs, entry.maxArgs) + "]";
            throw new AnalysisException("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", "The `" + key + "` requires " + expected
                + " parameters but the actual number is " + args.size() + ".");
        }
        return entry.builder.build(key.equals("mean") ? "avg" : key, args, param);
    }

    /**
     * @param name an unknown function name.
     * @return Spark's error for it, with the near matches.
     */
    public static AnalysisException unknownFunction(String name) {
        List<String> near = nearMatches(name);
        return new AnalysisException("UNRESOLVED_ROUTINE", "Cannot resolve function `" + name + "`"
            + (near.isEmpty() ? "" : "; did you mean " + String.join(", ", near.stream().map(f -> "`" + f + "`")
            .toList()) + "?") + " Known functions: " + String.join(", ", names().stream()
            .filter(f -> !f.equals("count_distinct")).toList()) + ".");
    }

    private static String rangeList(int min, int max) {
        List<String> out = new ArrayList<>();
        for (int i = min; i <= max; i++) {
            out.add(String.valueOf(i));
        }
        return String.join(", ", out);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Argument checks

    private static final String[] ORDINALS = {"first", "second", "third", "fourth"};

    static AnalysisException mismatch(String name, List<Expression> args, String detail) {
        return new AnalysisException("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", "Cannot resolve \""
            + Sql.render(name, Sql.of(args), null) + "\" due to data type mismatch: " + detail + ".");
    }

    private static AnalysisException wrongType(String name, List<Expression> args, int i, String wanted) {
        return mismatch(name, args, "The " + (i < ORDINALS.length ? ORDINALS[i] : (i + 1) + "th") + " parameter requires the \""
            + wanted + "\" type, however \"" + args.get(i).sql() + "\" has the type \"" + args.get(i).dataType().sql()
            + "\"");
    }

    /** Spark's implicit cast of an atomic argument to string. */
    static Expression str(String name, List<Expression> args, int i) {
        DataType t = args.get(i).dataType();
        if (t == DataTypes.StringType) {
            return args.get(i);
        }
        if (Coercion.isAtomic(t) && t != DataTypes.BinaryType) {
            return Coercion.cast(args.get(i), DataTypes.StringType);
        }
        throw wrongType(name, args, i, "STRING");
    }

    private static List<Expression> strs(String name, List<Expression> args, int from) {
        List<Expression> out = new ArrayList<>();
        for (int i = from; i < args.size(); i++) {
            out.add(str(name, args, i));
        }
        return out;
    }

    private static Expression integer(String name, List<Expression> args, int i) {
        DataType t = args.get(i).dataType();
        if (Coercion.isIntegral(t) || t == DataTypes.StringType || t == DataTypes.NullType) {
            return Coercion.cast(args.get(i), DataTypes.IntegerType);
        }
        throw wrongType(name, args, i, "INT");
    }

    private static Expression numeric(String name, List<Expression> args, int i) {
        DataType t = args.get(i).dataType();
        if (Coercion.isNumeric(t)) {
            return args.get(i);
        }
        if (t == DataTypes.StringType || t == DataTypes.NullType) {
            return Coercion.cast(args.get(i), DataTypes.DoubleType);
        }
        throw wrongType(name, args, i, "NUMERIC");
    }

    private static DataType common(String name, List<Expression> args) {
        DataType t = Coercion.common(args.stream().map(Expression::dataType).toList());
        if (t == null) {
            throw new AnalysisException("DATATYPE_MISMATCH.DATA_DIFF_TYPES", "Cannot resolve \""
                + Sql.render(name, Sql.of(args), null) + "\" due to data type mismatch: Input to `" + name
                + "` should all be the same type, but it's [" + String.join(", ",
                args.stream().map(e -> "\"" + e.dataType().sql() + "\"").toList()) + "].");
        }
        return t;
    }

    private static String constantString(String name, List<Expression> args, int i) {
        if (args.get(i) instanceof Literal l && l.value() instanceof String s) {
            return s;
        }
        throw mismatch(name, args, "The " + ORDINALS[i] + " parameter must be a constant string, got " + args.get(i).sql());
    }

    private static Pattern literalPattern(String name, Expression pattern) {
        if (pattern instanceof Literal l && l.value() instanceof String s) {
            try {
                return Pattern.compile(s);
            } catch (PatternSyntaxException e) {
                throw new AnalysisException("INVALID_PARAMETER_VALUE.PATTERN", "The value of parameter(s) `regexp` in `"
                    + name + "` is invalid: '" + s + "': " + e.getDescription() + ".");
            }
        }
        return null;
    }

    private static StructType schemaArg(String name, List<Expression> args, Object param) {
        if (param instanceof StructType s) {
            return s;
        }
        DataType t = DataType.fromDDL(constantString(name, args, 1));
        if (t instanceof StructType s) {
            return s;
        }
        throw mismatch(name, args, "The schema must be a struct, got " + t.sql());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Builders

    private interface Fn1 {
        Object apply(Object a);
    }

    private static Expression string1(String name, List<Expression> args, Fn1 fn) {
        return new ScalarFunction(name, List.of(str(name, args, 0)), DataTypes.StringType, true, false,
            v -> fn.apply(v[0]));
    }

    /** Spark's trim removes spaces (U+0020) only. */
    static String strip(String s, boolean leading, boolean trailing) {
        int from = 0;
        int to = s.length();
        while (leading && from < to && s.charAt(from) == ' ') {
            from++;
        }
        while (trailing && to > from && s.charAt(to - 1) == ' ') {
            to--;
        }
        return s.substring(from, to);
    }

    private static Expression concatWs(String name, List<Expression> args) {
        List<Expression> converted = new ArrayList<>();
        converted.add(str(name, args, 0));
        for (int i = 1; i < args.size(); i++) {
            converted.add(args.get(i).dataType() instanceof ArrayType ? args.get(i) : str(name, args, i));
        }
        return new ScalarFunction(name, converted, DataTypes.StringType, false, false, v -> {
            if (v[0] == null) {
                return null;
            }
            List<String> parts = new ArrayList<>();
            for (int i = 1; i < v.length; i++) {
                if (v[i] instanceof List<?> list) {
                    for (Object e : list) {
                        if (e != null) {
                            parts.add(e.toString());
                        }
                    }
                } else if (v[i] != null) {
                    parts.add((String) v[i]);
                }
            }
            return String.join((String) v[0], parts);
        });
    }

    /** Spark's substring: 1-based; 0 acts as 1; a negative start counts from the end. */
    private static Expression substring(String name, List<Expression> args) {
        List<Expression> converted = new ArrayList<>(List.of(str(name, args, 0), integer(name, args, 1)));
        converted.add(args.size() > 2 ? integer(name, args, 2) : Literal.of(Integer.MAX_VALUE, DataTypes.IntegerType));
        return new ScalarFunction(name.equals("substr") ? "substr" : "substring", converted, DataTypes.StringType,
            true, false, v -> substring((String) v[0], (Integer) v[1], (Integer) v[2]));
    }

    static String substring(String s, int pos, int len) {
        int n = s.codePointCount(0, s.length());
        long start = pos > 0 ? pos - 1L : pos < 0 ? n + (long) pos : 0;
        long end = len == Integer.MAX_VALUE ? n : start + len;
        start = Math.max(0, start);
        end = Math.min(n, end);
        if (start >= end) {
            return "";
        }
        return s.substring(s.offsetByCodePoints(0, (int) start), s.offsetByCodePoints(0, (int) end));
    }

    private static Expression regexpExtract(String name, List<Expression> args) {
        Pattern pattern = literalPattern(name, args.get(1));
        List<Expression> converted = new ArrayList<>(List.of(str(name, args, 0), str(name, args, 1)));
        converted.add(args.size() > 2 ? integer(name, args, 2) : Literal.of(1, DataTypes.IntegerType));
        if (pattern != null && converted.get(2) instanceof Literal l && l.value() instanceof Integer idx
            && (idx < 0 || idx > pattern.matcher("").groupCount())) {
            throw new AnalysisException("INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX", "The value of parameter(s) `idx` in `"
                + name + "` is invalid: Expects group index between 0 and " + pattern.matcher("").groupCount()
                + ", but got " + idx + ".");
        }
        return new ScalarFunction(name, converted, DataTypes.StringType, true, false, v -> {
            Matcher m = (pattern != null ? pattern : Pattern.compile((String) v[1])).matcher((String) v[0]);
            if (!m.find()) {
                return "";
            }
            String group = m.group((Integer) v[2]);
            return group == null ? "" : group;
        });
    }

    private static Expression like(Expression value, Expression pattern, String name) {
        List<Expression> args = List.of(value, pattern);
        Pattern compiled = pattern instanceof Literal l && l.value() instanceof String s ? likePattern(s) : null;
        return new ScalarFunction("like", List.of(str(name, args, 0), str(name, args, 1)), DataTypes.BooleanType, true,
            false, v -> (compiled != null ? compiled : likePattern((String) v[1])).matcher((String) v[0]).matches());
    }

    /**
     * @param like a SQL LIKE pattern ({@code %} any run, {@code _} one character, {@code \} escapes).
     * @return the equivalent regular expression.
     */
    static Pattern likePattern(String like) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < like.length(); i++) {
            char c = like.charAt(i);
            if (c == '\\' && i + 1 < like.length()) {
                regex.append(Pattern.quote(String.valueOf(like.charAt(++i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static DateTimeFormatter formatArg(String name, List<Expression> args, int i) {
        String pattern = constantString(name, args, i);
        try {
            return DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(ZoneOffset.UTC);
        } catch (IllegalArgumentException e) {
            throw mismatch(name, args, "invalid datetime pattern '" + pattern + "': " + e.getMessage());
        }
    }

    private static Expression toTimestamp(String name, List<Expression> args) {
        if (args.size() == 1) {
            DataType t = args.get(0).dataType();
            if (t == DataTypes.StringType || t == DataTypes.DateType || t == DataTypes.TimestampType
                || t == DataTypes.NullType) {
                return new Cast(args.get(0), DataTypes.TimestampType, Sql.render(name, Sql.of(args), null));
            }
            throw wrongType(name, args, 0, "STRING");
        }
        DateTimeFormatter format = formatArg(name, args, 1);
        return new ScalarFunction(name, List.of(str(name, args, 0), args.get(1)), DataTypes.TimestampType, true, true,
            v -> {
                try {
                    TemporalAccessor parsed = format.parse((String) v[0]);
                    LocalDate date = LocalDate.from(parsed);
                    LocalTime time = parsed.isSupported(ChronoField.HOUR_OF_DAY)
                        ? LocalTime.from(parsed) : LocalTime.MIDNIGHT;
                    return date.atTime(time).toInstant(ZoneOffset.UTC);
                } catch (DateTimeException e) {
                    return null;
                }
            });
    }

    private static Expression timeArg(String name, List<Expression> args) {
        DataType t = args.get(0).dataType();
        if (t != DataTypes.TimestampType) {
            throw wrongType(name, args, 0, "TIMESTAMP");
        }
        return args.get(0);
    }

    private static long duration(String name, List<Expression> args, int i) {
        Expression e = args.get(i);
        if (e instanceof Literal l && l.isInterval()) {
            return (Long) l.value();
        }
        String text = constantString(name, args, i);
        try {
            return SqlParsers.parseIntervalMicros(text);
        } catch (IllegalArgumentException ex) {
            throw mismatch(name, args, "The " + ORDINALS[i] + " parameter must be a duration such as '10 minutes': "
                + ex.getMessage());
        }
    }

    private static Expression window(String name, List<Expression> args) {
        Expression time = timeArg(name, args);
        long length = duration(name, args, 1);
        long slide = args.size() > 2 ? duration(name, args, 2) : length;
        long start = args.size() > 3 ? duration(name, args, 3) : 0;
        if (length <= 0) {
            throw mismatch(name, args, "The window duration (" + length + " µs) must be greater than 0");
        }
        if (slide <= 0 || slide > length) {
            throw mismatch(name, args, "The slide duration (" + slide + " µs) must be greater than 0 and at most the "
                + "window duration (" + length + " µs)");
        }
        if (Math.abs(start) >= slide) {
            throw mismatch(name, args, "The absolute value of start time (" + start + " µs) must be less than the slide "
                + "duration (" + slide + " µs)");
        }
        return new TimeFunctions.TimeWindow(time, length, slide, start, Sql.render(name, Sql.of(args), null));
    }

    private static Expression aggregate(String name, List<Expression> args, Object param) {
        Expression child = args.get(0);
        int lgK = 12;
        if (name.equals("approx_count_distinct") && args.size() > 1) {
            if (!(args.get(1) instanceof Literal l) || !(l.value() instanceof Number)) {
                throw mismatch(name, args, "The second parameter (rsd) must be a constant number");
            }
            double rsd = ((Number) ((Literal) args.get(1)).value()).doubleValue();
            // HLL's relative standard error is about 1.04 / sqrt(2^lgK)
            lgK = (int) Math.max(4, Math.min(21, Math.ceil(2 * (Math.log(1.04 / rsd) / Math.log(2)))));
        }
        DataType type = Aggregate.resultType(name, child.dataType());
        if (type == null) {
            throw wrongType(name, args, 0, name.equals("min") || name.equals("max") ? "ORDERABLE" : "NUMERIC");
        }
        if ((name.equals("sum") || name.equals("avg")) && !Coercion.isNumeric(child.dataType())) {
            child = Coercion.cast(child, DataTypes.DoubleType);
        }
        return new Aggregate(name, child, type, lgK);
    }

    static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
