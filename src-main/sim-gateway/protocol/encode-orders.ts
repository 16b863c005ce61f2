// openOrder / orderStatus / openOrderEnd laid out for server version 193, field by field in the order the
// @stoqey/ib OrderDecoder (IBKR's EOrderDecoder) reads them. Unused order attributes go out as their "unset" text.
import type { VenueOrder } from '../venue/types';
import type { Field } from './fields';
import { MSG } from './ids';

const U = ''; // empty field: unset double/int, empty string

function contractFields(o: VenueOrder): Field[] {
  const c = o.contract;
  return [c.conId, c.symbol, c.secType, c.lastTradeDateOrContractMonth, 0, '', String(c.multiplier), c.exchange, c.currency, c.localSymbol, c.tradingClass];
}

export function encodeOpenOrder(o: VenueOrder): Field[] {
  return [
    MSG.OPEN_ORDER,
    o.orderId,
    ...contractFields(o),
    o.action, o.totalQuantity, o.orderType, o.lmtPrice ?? U, o.auxPrice ?? U, o.tif, o.ocaGroup, o.account,
    '', // openClose
    0, // origin: customer
    o.orderRef, o.clientId, o.permId, o.outsideRth,
    0, // hidden
    0, // discretionaryAmt
    '', // goodAfterTime
    '', // sharesAllocation (deprecated)
    '', '', '', // faGroup, faMethod, faPercentage
    '', // modelCode
    '', // goodTillDate
    '', // rule80A
    U, // percentOffset
    '', // settlingFirm
    0, '', -1, // shortSaleSlot, designatedLocation, exemptCode
    0, // auctionStrategy
    U, U, U, // startingPrice, stockRefPrice, delta
    U, U, // stockRangeLower, stockRangeUpper
    U, // displaySize
    false, false, false, // blockOrder, sweepToFill, allOrNone
    U, // minQty
    o.ocaType,
    false, false, // eTradeOnly, firmQuoteOnly
    U, // nbboPriceCap
    o.parentId,
    0, // triggerMethod
    U, 0, '', U, // volatility, volatilityType, deltaNeutralOrderType (empty: no further delta-neutral fields), deltaNeutralAuxPrice
    0, 0, // continuousUpdate, referencePriceType
    U, U, // trailStopPrice, trailingPercent
    U, U, // basisPoints, basisPointsType
    '', 0, 0, // comboLegsDescription, comboLegs count, orderComboLegs count
    0, // smartComboRoutingParams count
    U, U, U, // scaleInitLevelSize, scaleSubsLevelSize, scalePriceIncrement (unset: no extended scale fields)
    '', // hedgeType (empty: no hedgeParam)
    false, // optOutSmartRouting
    '', '', // clearingAccount, clearingIntent
    false, // notHeld
    false, // deltaNeutralContract present
    '', // algoStrategy (empty: no params)
    false, // solicited
    false, // whatIf
    o.status,
    U, U, U, U, U, U, // margin before/change (WHAT_IF_EXT_FIELDS)
    U, U, U, // initMarginAfter, maintMarginAfter, equityWithLoanAfter
    U, U, U, // commission, minCommission, maxCommission
    '', '', // commissionCurrency, warningText
    false, false, // randomizeSize, randomizePrice
    0, // conditions count (no conditionsIgnoreRth/CancelOrder follow)
    '', U, U, U, U, U, U, 0, // adjustedOrderType, triggerPrice, trailStopPrice, lmtPriceOffset, adjustedStop, adjustedStopLimit, adjustedTrailingAmount, adjustableTrailingUnit
    '', '', '', // softDollarTier name, value, displayName
    U, // cashQty
    false, // dontUseAutoPriceForHedge
    false, // isOmsContainer
    false, // discretionaryUpToLimitPrice
    false, // usePriceMgmtAlgo
    U, // duration
    U, // postToAts
    false, // autoCancelParent
    U, U, U, U, U, // minTradeQty, minCompeteSize, competeAgainstBestOffset, midOffsetAtWhole, midOffsetAtHalf
    '', // customerAccount
    false, // professionalCustomer
    '', // bondAccruedInterest
    false, // includeOvernight
    '', U, // extOperator, manualOrderIndicator
  ];
}

/** No version field at 193 (MARKET_CAP_PRICE); ends with mktCapPrice. */
export function encodeOrderStatus(o: VenueOrder): Field[] {
  return [
    MSG.ORDER_STATUS, o.orderId, o.status, o.filled, o.totalQuantity - o.filled, o.avgFillPrice, o.permId, o.parentId,
    o.lastFillPrice, o.clientId, o.whyHeld, 0,
  ];
}

export const encodeOpenOrderEnd = (): Field[] => [MSG.OPEN_ORDER_END, 1];
