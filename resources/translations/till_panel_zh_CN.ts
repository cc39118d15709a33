<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>ApprovalFields</name>
    <message>
        <source>Manager's staff number</source>
        <translation>主任工号</translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation>授权人</translation>
    </message>
    <message>
        <source>Manager's password</source>
        <translation>主任密码</translation>
    </message>
</context>
<context>
    <name>CountersignDialog</name>
    <message>
        <source>Manager's countersign</source>
        <translation>主任复核签字</translation>
    </message>
    <message>
        <source>The manager checks the count and signs with their staff number and password.</source>
        <translation>主任核对点钞结果，输入本人工号和密码签字复核。</translation>
    </message>
</context>
<context>
    <name>DenominationModel</name>
    <message>
        <source>Denomination</source>
        <translation>面额</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>张/枚数</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Counts are whole numbers, 0 or more.</source>
        <translation>张数/枚数必须是不小于 0 的整数。</translation>
    </message>
</context>
<context>
    <name>MovementDialog</name>
    <message>
        <source>Cash in / out</source>
        <translation>现金存入/取出</translation>
    </message>
    <message>
        <source>Cash out (e.g. to the safe)</source>
        <translation>取出（如存入保险柜）</translation>
    </message>
    <message>
        <source>Cash in (e.g. more change)</source>
        <translation>存入（如补充零钱）</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>MovementModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>In/out</source>
        <translation>存/取</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation>授权人</translation>
    </message>
    <message>
        <source>In</source>
        <translation>存入</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>取出</translation>
    </message>
</context>
<context>
    <name>TillPanel</name>
    <message>
        <source>Till</source>
        <translation>钱箱</translation>
    </message>
    <message>
        <source>Total: %1 yuan</source>
        <translation>合计：%1 元</translation>
    </message>
    <message>
        <source>No till open today</source>
        <translation>今天尚未开箱</translation>
    </message>
    <message>
        <source>Count the float (备用金) by denomination, then open the till.</source>
        <translation>请按面额清点备用金，然后开箱。</translation>
    </message>
    <message>
        <source>Till %1 — float %2 yuan — %3</source>
        <translation>钱箱 %1 — 备用金 %2 元 — %3</translation>
    </message>
    <message>
        <source>At the end of the day count the cash by denomination and type the non-cash totals. The expected amount is shown only after you submit.</source>
        <translation>下班交款时按面额点钞并填写非现金合计（盲点）。提交后才显示应有金额。</translation>
    </message>
    <message>
        <source>Counted. Close the till (explain any difference above the limit).</source>
        <translation>已点钞。请交款（长短款超过限额须写情况说明）。</translation>
    </message>
    <message>
        <source>Closed: waiting for the manager's countersign.</source>
        <translation>已交款，等待主任复核签字。</translation>
    </message>
    <message>
        <source>Countersigned by %1.</source>
        <translation>已由 %1 复核。</translation>
    </message>
    <message>
        <source>over</source>
        <translation>长款</translation>
    </message>
    <message>
        <source>short</source>
        <translation>短款</translation>
    </message>
    <message>
        <source>balanced</source>
        <translation>无长短款</translation>
    </message>
    <message>
        <source>Counted %1, expected %2: %3 %4</source>
        <translation>实点 %1，应有 %2：%3 %4</translation>
    </message>
    <message>
        <source>Till opened.</source>
        <translation>已开箱。</translation>
    </message>
    <message>
        <source>Non-cash differences: %1</source>
        <translation>非现金差额：%1</translation>
    </message>
    <message>
        <source>An explanation is required.</source>
        <translation>须填写情况说明。</translation>
    </message>
    <message>
        <source>Count submitted.</source>
        <translation>点钞已提交。</translation>
    </message>
    <message>
        <source>Till closed: ask the manager to countersign.</source>
        <translation>已交款，请主任复核签字。</translation>
    </message>
    <message>
        <source>Countersigned.</source>
        <translation>已复核。</translation>
    </message>
    <message>
        <source>Cash movement recorded.</source>
        <translation>现金存取已登记。</translation>
    </message>
    <message>
        <source>No receipt printer is set up.</source>
        <translation>未设置小票打印机。</translation>
    </message>
    <message>
        <source>X report printed.</source>
        <translation>X报表已打印。</translation>
    </message>
    <message>
        <source>Day close (manager)…</source>
        <translation>日结（主任）…</translation>
    </message>
</context>
<context>
    <name>TillPanelView</name>
    <message>
        <source>Count by denomination</source>
        <translation>按面额点钞</translation>
    </message>
    <message>
        <source>Non-cash totals from the terminal slips</source>
        <translation>非现金合计（按终端结算单填写）</translation>
    </message>
    <message>
        <source>Bank card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <source>QR code</source>
        <translation>扫码</translation>
    </message>
    <message>
        <source>Cheque</source>
        <translation>支票</translation>
    </message>
    <message>
        <source>Explanation of the difference</source>
        <translation>长短款情况说明</translation>
    </message>
    <message>
        <source>&amp;Open till with this float</source>
        <translation>按此备用金开箱(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Submit the blind count</source>
        <translation>提交盲点结果(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Close till</source>
        <translation>交款(&amp;C)</translation>
    </message>
    <message>
        <source>Counter&amp;sign…</source>
        <translation>复核签字(&amp;S)…</translation>
    </message>
    <message>
        <source>Cash &amp;in/out…</source>
        <translation>现金存取(&amp;I)…</translation>
    </message>
    <message>
        <source>Print &amp;X report</source>
        <translation>打印X报表(&amp;X)</translation>
    </message>
</context>
</TS>