package io.rivulet.engine.sql;

import io.rivulet.engine.NoLeakedThreads;
import io.rivulet.engine.Rivulet;
import io.rivulet.engine.source.MemoryStream;
import io.rivulet.engine.source.Sources;
import io.rivulet.engine.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.rivulet.engine.sql.functions.col;
import static io.rivulet.engine.sql.functions.count;
import static io.rivulet.engine.sql.functions.desc;
import static io.rivulet.engine.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@code where}/{@code orderBy} naming a column the Dataset lacks but a Dataset below it has, through any chain of
 * projections and filters, as Spark's {@code ResolveMissingReferences}; and the search stopping at an aggregation
 * and an alias, failing before start with Spark's error listing the columns.
 */
@ExtendWith(NoLeakedThreads.class)
class MissingColumnResolutionTest {
    private static final StructType TRADES = StructType.fromDDL("sym STRING, qty INT, price DOUBLE");

    private static Dataset<Row> trades(Rivulet rivulet) {
        MemoryStream<Row> stream = Sources.memoryStream("trades");
        stream.addData(Row.of(TRADES, "a", 10, 1.5));
        stream.addData(Row.of(TRADES, "b", 200, 2.0));
        stream.addData(Row.of(TRADES, "a", 300, 0.5));
        stream.end();
        return rivulet.readStream().memoryStream(stream, Encoders.row(TRADES));
    }

    private static List<String> run(Rivulet rivulet, Dataset<Row> df, String name) throws Exception {
        df.writeStream().format("memory").queryName(name).start().awaitTermination();
        return rivulet.table(name).stream().map(Row::toString).toList();
    }

    private static String unresolved(String name, String columns) {
        return "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name `" + name + "` cannot be"
            + " resolved. Did you mean one of the following? [" + columns + "].";
    }

    @Test
    void shouldResolveAWhereColumnTwoProjectionsBelow() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            // df.select("a", "b").select("a").where("c > 1"): `price` is only in the source
            Dataset<Row> syms = trades(rivulet).select("sym", "qty").select("sym").where("price > 1");
            assertThat(syms.columns()).containsExactly("sym");
            assertThat(run(rivulet, syms, "two")).containsExactly("[a]", "[b]");
        }
    }

    @Test
    void shouldResolveAWhereColumnThreeProjectionsBelowThroughWithColumnAndDrop() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> syms = trades(rivulet).withColumn("value", col("qty").multiply(col("price"))).drop("qty")
                .select("sym", "value").select("value").where(col("qty").gt(100).and(col("price").lt(1)));
            assertThat(syms.columns()).containsExactly("value");
            assertThat(run(rivulet, syms, "three")).containsExactly("[150.0]");
        }
    }

    @Test
    void shouldResolveThroughFiltersBetweenTheProjections() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> syms = trades(rivulet).select("sym", "qty").where("qty > 5").select("sym").where("qty < 250")
                .where("price > 1.8");
            assertThat(syms.columns()).containsExactly("sym");
            assertThat(run(rivulet, syms, "filters")).containsExactly("[b]");
        }
    }

    @Test
    void shouldResolveASecondWhereNamingAnotherDroppedColumnAfterTheFirstResolvedOne() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> syms = trades(rivulet).select("sym").where("qty > 100").where("price > 1");
            assertThat(syms.columns()).containsExactly("sym");
            assertThat(run(rivulet, syms, "second")).containsExactly("[b]");
        }
    }

    @Test
    void shouldKeepTheInputColumnsOfAStarWhenTheColumnIsFoundBelowIt() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> doubled = trades(rivulet).select("sym", "qty").selectExpr("*", "qty * 2 AS q2").where("price > 1");
            assertThat(doubled.columns()).containsExactly("sym", "qty", "q2");
            assertThat(run(rivulet, doubled, "star")).containsExactly("[a,10,20]", "[b,200,400]");
        }
    }

    @Test
    void shouldResolveARenamedColumnByItsNewNameAboveTheRename() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> renamed = trades(rivulet).withColumnRenamed("sym", "symbol").select("qty").where("symbol = 'a'");
            assertThat(renamed.columns()).containsExactly("qty");
            assertThat(run(rivulet, renamed, "renamed")).containsExactly("[10]", "[300]");
            Dataset<Row> named = trades(rivulet).toDF("s", "q", "p").select("s", "q").select("q").where("p < 1");
            assertThat(run(rivulet, named, "named")).containsExactly("[300]");
        }
    }

    @Test
    void shouldResolveARenamedColumnsOldNameBelowTheRenameAsSparkDoes() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            // Spark resolves `qty` at the rename's input and carries it up: Project(sym, Project(qty AS quantity, ..))
            Dataset<Row> syms = trades(rivulet).withColumnRenamed("qty", "quantity").select("sym").where("qty > 100");
            assertThat(syms.columns()).containsExactly("sym");
            assertThat(run(rivulet, syms, "old")).containsExactly("[b]", "[a]");
        }
    }

    @Test
    void shouldResolveANameAtTheNearestDatasetBelowThatHasIt() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            // `qty` is the replaced column (qty * 10) of withColumn, not the source's
            Dataset<Row> syms = trades(rivulet).withColumn("qty", col("qty").multiply(10)).select("sym").where("qty > 2500");
            assertThat(run(rivulet, syms, "nearest")).containsExactly("[a]");
        }
    }

    @Test
    void shouldOrderAnAggregationByAColumnTwoProjectionsBelowThenLimit() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> top = trades(rivulet).groupBy("sym").agg(sum("qty").as("total"), count("*").as("n"))
                .select("sym", "n", "total").select("sym", "n").orderBy(desc("total"));
            assertThat(top.columns()).containsExactly("sym", "n");
            top.writeStream().outputMode("complete").format("memory").queryName("top").start().awaitTermination();
            assertThat(rivulet.table("top")).extracting(Row::toString).containsExactly("[a,2]", "[b,1]");
            Dataset<Row> first = trades(rivulet).groupBy("sym").agg(sum("qty").as("total"), count("*").as("n"))
                .select("sym", "n", "total").select("sym").orderBy(col("total").asc()).limit(1);
            first.writeStream().outputMode("complete").format("memory").queryName("first").start().awaitTermination();
            assertThat(rivulet.table("first")).extracting(Row::toString).containsExactly("[b]");
        }
    }

    @Test
    void shouldResolveBelowProjectionsOfAStaticDataFrame() throws Exception {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> table = rivulet.createDataFrame(List.of(Row.of(TRADES, "a", 10, 1.5), Row.of(TRADES, "b", 200, 2.0)),
                TRADES).select("sym", "qty").select("sym").where(col("price").gt(1.8));
            assertThat(table.staticRows().load()).extracting(Row::toString).containsExactly("[b]");
        }
    }

    @Test
    void shouldRejectAColumnOnlyBelowAnAggregationBeforeStartListingTheColumns() {
        try (Rivulet rivulet = Rivulet.create()) {
            Dataset<Row> totals = trades(rivulet).groupBy("sym").agg(sum("qty").as("total"));
            assertThatThrownBy(() -> totals.where("price > 1")).isInstanceOf(AnalysisException.class)
                .hasMessage(unresolved("price", "`sym`, `total`"));
            assertThatThrownBy(() -> totals.select("total").where("qty > 1")).isInstanceOf(AnalysisException.class)
                .hasMessage(unresolved("qty", "`total`"));
            assertThatThrownBy(() -> totals.select("sym", "total").select("sym").orderBy("price"))
                .isInstanceOf(AnalysisException.class).hasMessage(unresolved("price", "`sym`"));
        }
    }

    @Test
    void shouldRejectAColumnOnlyBelowAnAliasAsSparksSubqueryAlias() {
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> trades(rivulet).select("sym").as("t").where("qty > 1"))
                .isInstanceOf(AnalysisException.class).hasMessageStartingWith("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column"
                    + " or function parameter with name `qty` cannot be resolved.");
        }
    }

    @Test
    void shouldListTheColumnsForAColumnUnknownAtEveryLevel() {
        try (Rivulet rivulet = Rivulet.create()) {
            assertThatThrownBy(() -> trades(rivulet).select("sym", "qty").select("sym").where("prise > 1"))
                .isInstanceOf(AnalysisException.class).hasMessage(unresolved("prise", "`sym`"));
        }
    }
}
