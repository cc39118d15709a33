<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>ApprovalDialog</name>
    <message>
        <source>Void a receipt — manager's approval</source>
        <translation>作废收据——主任授权</translation>
    </message>
    <message>
        <source>Receipt number</source>
        <translation>票据号</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Manager staff number</source>
        <translation>主任/值班长工号</translation>
    </message>
    <message>
        <source>Manager password</source>
        <translation>授权密码</translation>
    </message>
</context>
<context>
    <name>BillsModel</name>
    <message>
        <source>Bill period</source>
        <translation>账期</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>用气量</translation>
    </message>
    <message>
        <source>Open amount</source>
        <translation>欠费金额</translation>
    </message>
    <message>
        <source>Due date</source>
        <translation>缴费期限</translation>
    </message>
</context>
<context>
    <name>LinesModel</name>
    <message>
        <source>Item</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Tier %1: %2 × %3 = %4</source>
        <translation>第%1档：%2 × %3 = %4</translation>
    </message>
</context>
<context>
    <name>PaymentPanel</name>
    <message>
        <source>Retry printing now</source>
        <translation>立即重试打印</translation>
    </message>
    <message>
        <source>Switch printer…</source>
        <translation>更换打印机…</translation>
    </message>
    <message>
        <source> (closed)</source>
        <translation>（已销户）</translation>
    </message>
    <message>
        <source>Short %1</source>
        <translation>还差 %1</translation>
    </message>
    <message>
        <source>Paid: receipt %1, %2 yuan, change %3</source>
        <translation>收费成功：票据号 %1，金额 %2 元，找零 %3 元</translation>
    </message>
    <message>
        <source>Receipts waiting: %1</source>
        <translation>待打印收据：%1 张</translation>
    </message>
    <message>
        <source>Switch printer</source>
        <translation>更换打印机</translation>
    </message>
    <message>
        <source>Printer address (tcp://HOST:9100, win32:NAME…)</source>
        <translation>打印机地址（tcp://主机:9100、win32:打印机名…）</translation>
    </message>
    <message>
        <source>Printing to %1</source>
        <translation>改用打印机 %1</translation>
    </message>
    <message>
        <source>Reprint receipt</source>
        <translation>补打收据</translation>
    </message>
    <message>
        <source>Receipt number</source>
        <translation>票据号</translation>
    </message>
    <message>
        <source>Reprint of %1 (copy %2) sent to the printer</source>
        <translation>已补打 %1（第 %2 次）</translation>
    </message>
    <message>
        <source>Receipt %1 voided; reversal %2</source>
        <translation>收据 %1 已作废，冲正票据号 %2</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>收费</translation>
    </message>
    <message>
        <source>Take payment</source>
        <translation>确认收费</translation>
    </message>
    <message>
        <source>Void receipt</source>
        <translation>作废收据</translation>
    </message>
</context>
<context>
    <name>PaymentPanelView</name>
    <message>
        <source>Payment</source>
        <translation>收费</translation>
    </message>
    <message>
        <source>Account number (empty: walk-in)</source>
        <translation>户号（散客可不填）</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Item code or name from the price list</source>
        <translation>输入价目表中的项目代码或名称</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Open bills (Space ticks)</source>
        <translation>未缴账单（空格键勾选）</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <source>Cheque</source>
        <translation>支票</translation>
    </message>
    <message>
        <source>Bank card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <source>QR (WeChat/Alipay)</source>
        <translation>扫码（微信/支付宝）</translation>
    </message>
    <message>
        <source>Cash handed over</source>
        <translation>客户交来的现金</translation>
    </message>
    <message>
        <source>No split</source>
        <translation>不组合</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>付款方式</translation>
    </message>
    <message>
        <source>Tendered</source>
        <translation>实收</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>交易参考号</translation>
    </message>
    <message>
        <source>Cheque number</source>
        <translation>支票号码</translation>
    </message>
    <message>
        <source>Bank</source>
        <translation>出票银行</translation>
    </message>
    <message>
        <source>Split: also</source>
        <translation>组合付款：另加</translation>
    </message>
    <message>
        <source>Amount due</source>
        <translation>应收</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>找零</translation>
    </message>
    <message>
        <source>Take payment (Ctrl+Return)</source>
        <translation>确认收费（Ctrl+回车）</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
</context>
</TS>