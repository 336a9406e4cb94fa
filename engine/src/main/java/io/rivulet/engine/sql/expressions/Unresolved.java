package io.rivulet.engine.sql.expressions;

import io.rivulet.engine.types.DataType;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The unresolved nodes: what {@code Column} and the parser build before a schema is known. The
 * {@link Analyzer} replaces each by resolved nodes. Immutable.
 */
public final class Unresolved {
    private Unresolved() {
    }

    /**
     * A column by name; {@code parts} is the dotted path ({@code a.b} is a field {@code b} of struct {@code a}).
     */
    public static final class Attribute extends Expression {
        private final List<String> parts;

        /**
         * @param parts the name's parts, not empty.
         */
        public Attribute(List<String> parts) {
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("a column name needs at least one part");
            }
            this.parts = List.copyOf(parts);
        }

        /**
         * Parses a column name as Spark's {@code col(name)} does: dots separate nested fields unless back-quoted
         * ({@code `a.b`} is one name; {@code ``} inside quotes is a back-quote).
         *
         * @param name the name.
         * @return the attribute.
         * @throws IllegalArgumentException if a back-quote is not closed or a part is empty.
         */
        public static Attribute parse(String name) {
            ArrayList<String> parts = new ArrayList<>();
            StringBuilder part = new StringBuilder();
            boolean quoted = false;
            boolean wasQuoted = false;
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c == '`') {
                    if (quoted && i + 1 < name.length() && name.charAt(i + 1) == '`') {
                        part.append('`');
                        i++;
                    } else {
                        quoted = !quoted;
                        wasQuoted = true;
                    }
                } else if (c == '.' && !quoted) {
                    if (part.length() == 0 && !wasQuoted) {
                        throw new IllegalArgumentException("Syntax error in column name '" + name + "': empty part");
                    }
                    parts.add(part.toString());
                    part.setLength(0);
                    wasQuoted = false;
                } else {
                    part.append(c);
                }
            }
            if (quoted) {
                throw new IllegalArgumentException("Syntax error in column name '" + name + "': unclosed back-quote");
            }
            if (part.length() == 0 && !wasQuoted && !parts.isEmpty()) {
                throw new IllegalArgumentException("Syntax error in column name '" + name + "': empty part");
            }
            parts.add(part.toString());
            return new Attribute(parts);
        }

        /**
         * @return the name's parts.
         */
        public List<String> parts() {
            return parts;
        }

        @Override
        public List<Expression> children() {
            return List.of();
        }

        @Override
        public boolean resolved() {
            return false;
        }

        @Override
        public DataType dataType() {
            throw new IllegalStateException("unresolved column " + sql());
        }

        @Override
        public String sql() {
            return String.join(".", parts);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Attribute a && a.parts.equals(parts);
        }

        @Override
        public int hashCode() {
            return parts.hashCode();
        }
    }

    /**
     * An operator or function by name with its arguments, and a non-expression parameter where the call has one
     * (a cast's {@link DataType}, an alias's name, a sort's direction, a from_json schema).
     */
    public static final class Call extends Expression {
        private final String name;
        private final List<Expression> args;
        private final Object param;

        /**
         * @param name  the operator or function name (the registry's spelling, case-insensitive for functions).
         * @param args  the arguments.
         * @param param the parameter, or null.
         */
        public Call(String name, List<Expression> args, Object param) {
            this.name = Objects.requireNonNull(name, "name");
            this.args = List.copyOf(args);
            this.param = param;
        }

        /**
         * @param name the operator or function name.
         * @param args the arguments.
         */
        public Call(String name, Expression... args) {
            this(name, List.of(args), null);
        }

        /**
         * @return the name.
         */
        public String name() {
            return name;
        }

        /**
         * @return the arguments.
         */
        public List<Expression> args() {
            return args;
        }

        /**
         * @return the parameter, or null.
         */
        public Object param() {
            return param;
        }

        @Override
        public List<Expression> children() {
            return args;
        }

        @Override
        public boolean resolved() {
            return false;
        }

        @Override
        public DataType dataType() {
            throw new IllegalStateException("unresolved call " + sql());
        }

        @Override
        public String sql() {
            return Sql.render(name, Sql.of(args), param);
        }
    }

    /** {@code *} (all columns) or {@code a.*} (all fields of struct {@code a}); only in a select list. */
    public static final class Star extends Expression {
        private final List<String> target;

        /**
         * @param target the struct's name parts, or empty for all columns.
         */
        public Star(List<String> target) {
            this.target = List.copyOf(target);
        }

        /**
         * @return the struct's name parts; empty for all columns.
         */
        public List<String> target() {
            return target;
        }

        @Override
        public List<Expression> children() {
            return List.of();
        }

        @Override
        public boolean resolved() {
            return false;
        }

        @Override
        public DataType dataType() {
            throw new IllegalStateException("unresolved star");
        }

        @Override
        public String sql() {
            return target.isEmpty() ? "*" : String.join(".", target) + ".*";
        }
    }
}
