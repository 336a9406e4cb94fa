package io.rivulet.bench.nexmark;

/**
 * Output of NEXMark Query 2: an auction id and a bid price.
 *
 * @param auction id of the auction.
 * @param price   bid price, in cents.
 */
public record AuctionPrice(long auction, long price) {
}
