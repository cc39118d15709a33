<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccountFile</name>
    <message>
        <source>Account no.</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Holder</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>证件</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>表号</translation>
    </message>
    <message>
        <source>Contracts</source>
        <translation>合同</translation>
    </message>
    <message>
        <source>supply %1; safety %2</source>
        <translation>供用气 %1；安全用气 %2</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>开户</translation>
    </message>
    <message>
        <source>%1 by clerk %2</source>
        <translation>%1 柜员 %2</translation>
    </message>
    <message>
        <source>Arrears</source>
        <translation>欠费</translation>
    </message>
    <message>
        <source>Holder history</source>
        <translation>户主变更记录</translation>
    </message>
    <message>
        <source>until now</source>
        <translation>至今</translation>
    </message>
    <message>
        <source>Supply stops</source>
        <translation>停气记录</translation>
    </message>
    <message>
        <source>still stopped</source>
        <translation>仍在停气</translation>
    </message>
    <message>
        <source>stopped by %1</source>
        <translation>停气人 %1</translation>
    </message>
    <message>
        <source>resumed by %1, approved by %2</source>
        <translation>恢复人 %1，授权主任 %2</translation>
    </message>
    <message>
        <source>inspection %1</source>
        <translation>安检单 %1</translation>
    </message>
    <message>
        <source>Bills</source>
        <translation>账单</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>缴费</translation>
    </message>
    <message>
        <source>Balance %1</source>
        <translation>余额 %1</translation>
    </message>
    <message>
        <source>opened</source>
        <translation>开户</translation>
    </message>
    <message>
        <source>renamed</source>
        <translation>更名</translation>
    </message>
    <message>
        <source>transferred</source>
        <translation>过户</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>销户</translation>
    </message>
    <message>
        <source>type changed</source>
        <translation>用气性质变更</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>已收费</translation>
    </message>
    <message>
        <source>voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <source>refunded</source>
        <translation>已退款</translation>
    </message>
    <message>
        <source>partly refunded</source>
        <translation>部分退款</translation>
    </message>
</context>
<context>
    <name>AccountPanel</name>
    <message>
        <source>Accounts</source>
        <translation>客户档案</translation>
    </message>
    <message>
        <source>More matches: type more characters</source>
        <translation>结果较多，请再多输入几个字</translation>
    </message>
    <message>
        <source>Supply stopped since %1: %2 (resuming needs the inspection no. and a manager)</source>
        <translation>自 %1 起暂停供气：%2（恢复供气须安检合格单号和主任授权）</translation>
    </message>
    <message>
        <source>Find account</source>
        <translation>查询客户</translation>
    </message>
    <message>
        <source>Open account</source>
        <translation>开户</translation>
    </message>
    <message>
        <source>Rename account</source>
        <translation>更名</translation>
    </message>
    <message>
        <source>Transfer account</source>
        <translation>过户</translation>
    </message>
    <message>
        <source>Stop supply</source>
        <translation>暂停供气</translation>
    </message>
    <message>
        <source>Resume supply</source>
        <translation>恢复供气</translation>
    </message>
    <message>
        <source>Change customer type</source>
        <translation>用气性质变更</translation>
    </message>
</context>
<context>
    <name>AccountPanelView</name>
    <message>
        <source>Account no., name, pinyin initials, phone, ID ending, address, meter (F8)</source>
        <translation>户号、姓名、拼音首字母、电话、证件尾号、地址、表号（F8）</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <source>Open account (Ctrl+N)</source>
        <translation>开户（Ctrl+N）</translation>
    </message>
    <message>
        <source>Rename (Ctrl+R)</source>
        <translation>更名（Ctrl+R）</translation>
    </message>
    <message>
        <source>Transfer (Ctrl+T)</source>
        <translation>过户（Ctrl+T）</translation>
    </message>
    <message>
        <source>Close account</source>
        <translation>销户</translation>
    </message>
    <message>
        <source>Stop supply (Ctrl+Shift+S)</source>
        <translation>暂停供气 (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <source>Resume supply (Ctrl+Shift+U)</source>
        <translation>恢复供气 (Ctrl+Shift+U)</translation>
    </message>
    <message>
        <source>Pay arrears</source>
        <translation>缴清欠费</translation>
    </message>
    <message>
        <source>Show full ID</source>
        <translation>查看完整证件号</translation>
    </message>
    <message>
        <source>Change type (Ctrl+Shift+Y)</source>
        <translation>用气性质变更 (Ctrl+Shift+Y)</translation>
    </message>
</context>
<context>
    <name>ActionDialog</name>
    <message>
        <source>Forward %1 to a department</source>
        <translation>转交 %1 至部门</translation>
    </message>
    <message>
        <source>Hand %1 over to a colleague</source>
        <translation>将 %1 移交同事</translation>
    </message>
    <message>
        <source>Reply to the customer (%1)</source>
        <translation>答复客户（%1）</translation>
    </message>
    <message>
        <source>Customer contacted (%1)</source>
        <translation>联系客户（%1）</translation>
    </message>
    <message>
        <source>Promised work done (%1)</source>
        <translation>登记承诺的维修/上门已完成（%1）</translation>
    </message>
    <message>
        <source>Follow-up of %1</source>
        <translation>回访 %1</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>To staff number</source>
        <translation>接手人工号</translation>
    </message>
    <message>
        <source>Satisfied (close)</source>
        <translation>满意（关闭）</translation>
    </message>
    <message>
        <source>Unsatisfied (reopen)</source>
        <translation>不满意（重新处理）</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>上门</translation>
    </message>
    <message>
        <source>Customer's verdict</source>
        <translation>客户评价</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Hand-over note *</source>
        <translation>移交说明 *</translation>
    </message>
    <message>
        <source>Reply *</source>
        <translation>答复内容 *</translation>
    </message>
    <message>
        <source>What was said *</source>
        <translation>联系情况 *</translation>
    </message>
    <message>
        <source>What was done *</source>
        <translation>完成情况 *</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>An unexpected error occurred. It has been written to the log file; please tell IT. Nothing you saved was lost.</source>
        <translation>发生了意外错误，已写入日志文件，请告知信息科。已保存的数据不会丢失。</translation>
    </message>
    <message>
        <source>CounterDesk</source>
        <translation>营业厅窗口服务系统</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>CounterDesk (%1) is already running on this PC. Use the open window.</source>
        <translation>CounterDesk（%1）已在本机运行，请使用已打开的窗口。</translation>
    </message>
</context>
<context>
    <name>ApprovalFields</name>
    <message>
        <source>Manager's staff number</source>
        <translation>主任工号</translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation>主任授权</translation>
    </message>
    <message>
        <source>Manager's password</source>
        <translation>主任密码</translation>
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
    <name>BusinessActions</name>
    <message>
        <source>Find and select an account first</source>
        <translation>请先查询并选中一个户号</translation>
    </message>
    <message>
        <source>Account %1 owes %2: it must be paid before the %3.</source>
        <translation>户号 %1 尚有欠费 %2，须先缴清才能办理%3。</translation>
    </message>
    <message>
        <source>Arrears</source>
        <translation>欠费</translation>
    </message>
    <message>
        <source>Go to payment</source>
        <translation>去缴费</translation>
    </message>
    <message>
        <source>name change</source>
        <translation>更名</translation>
    </message>
    <message>
        <source>transfer</source>
        <translation>过户</translation>
    </message>
    <message>
        <source>closing</source>
        <translation>销户</translation>
    </message>
    <message>
        <source>change of customer type</source>
        <translation>用气性质变更</translation>
    </message>
    <message>
        <source>Customer type changed: %1 is now %2</source>
        <translation>已变更用气性质：%1 现为%2</translation>
    </message>
    <message>
        <source>Slip not printed: %1 (the business is saved)</source>
        <translation>凭条未打印：%1（业务已保存，可稍后补打）</translation>
    </message>
    <message>
        <source>Slip printed; form ready to sign</source>
        <translation>凭条已打印，确认单已生成，请客户签字</translation>
    </message>
    <message>
        <source>Full ID number</source>
        <translation>完整证件号码</translation>
    </message>
    <message>
        <source>%1 (this look-up is recorded)</source>
        <translation>%1（本次查看已记入审计日志）</translation>
    </message>
</context>
<context>
    <name>ChangePassword</name>
    <message>
        <source>Change my password</source>
        <translation>修改我的密码</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>原密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再输一次新密码</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Staff no. %1 (%2)</source>
        <translation>工号 %1（%2）</translation>
    </message>
</context>
<context>
    <name>CheatSheet</name>
    <message>
        <source>Button</source>
        <translation>按钮</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>快捷键一览</translation>
    </message>
    <message>
        <source>Every frequent action has a key. Numbers can be typed on the numeric keypad; Tab moves to the next field.</source>
        <translation>常用操作都有快捷键。数字可用小键盘输入；Tab 键移到下一项。</translation>
    </message>
</context>
<context>
    <name>CheckListModel</name>
    <message>
        <source>Check</source>
        <translation>检查项</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Blocks the close</source>
        <translation>不能日结</translation>
    </message>
</context>
<context>
    <name>CloseFormView</name>
    <message>
        <source>Close account %1</source>
        <translation>销户 %1</translation>
    </message>
    <message>
        <source>Final meter reading</source>
        <translation>终止读数</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Go to payment</source>
        <translation>去缴费</translation>
    </message>
</context>
<context>
    <name>ComplaintPanel</name>
    <message>
        <source>Record work done</source>
        <translation>记录处理结果</translation>
    </message>
    <message>
        <source>Overdue: %1   Due soon: %2   Follow-ups: %3</source>
        <translation>超期：%1　将到期：%2　待回访：%3</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>答复</translation>
    </message>
    <message>
        <source>Recorded %1; reply by %2.</source>
        <translation>已登记 %1，请于 %2 前答复。</translation>
    </message>
    <message>
        <source>Select an item in the list first.</source>
        <translation>请先在列表中选择一件。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Export quality report</source>
        <translation>导出服务质量报表</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Report written: %1</source>
        <translation>报表已写出：%1</translation>
    </message>
    <message>
        <source>Record complaint or enquiry</source>
        <translation>登记投诉/咨询</translation>
    </message>
</context>
<context>
    <name>ComplaintPanelView</name>
    <message>
        <source>Complaints</source>
        <translation>投诉咨询</translation>
    </message>
    <message>
        <source>My open items</source>
        <translation>我负责的待办</translation>
    </message>
    <message>
        <source>All items of the hall</source>
        <translation>全厅所有事项</translation>
    </message>
    <message>
        <source>Open only</source>
        <translation>仅未关闭</translation>
    </message>
    <message>
        <source>Including closed</source>
        <translation>包括已关闭</translation>
    </message>
    <message>
        <source>Record (Ctrl+K)</source>
        <translation>登记 (Ctrl+K)</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>转交</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>移交</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>答复</translation>
    </message>
    <message>
        <source>Contacted</source>
        <translation>已联系</translation>
    </message>
    <message>
        <source>Record work done</source>
        <translation>记录处理结果</translation>
    </message>
    <message>
        <source>Record that the repair or visit promised in the reply was done (needed before the follow-up)</source>
        <translation>登记答复中承诺的维修或上门已完成（回访前须登记）</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Export report…</source>
        <translation>导出报表…</translation>
    </message>
    <message>
        <source>Working… please wait.</source>
        <translation>正在处理，请稍候…</translation>
    </message>
    <message>
        <source>Follow-up reminders</source>
        <translation>回访提醒</translation>
    </message>
</context>
<context>
    <name>ComplaintTableModel</name>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Reply due</source>
        <translation>答复期限</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Overdue %1 h</source>
        <translation>已超期 %1 小时</translation>
    </message>
    <message>
        <source>Due in %1 h</source>
        <translation>%1 小时内到期</translation>
    </message>
    <message>
        <source>Open, %1 h left</source>
        <translation>处理中，剩 %1 小时</translation>
    </message>
    <message>
        <source>Replied, awaiting follow-up</source>
        <translation>已答复，待回访</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
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
    <name>CustomerScreen</name>
    <message>
        <source>Window %1</source>
        <translation>%1 号窗口</translation>
    </message>
    <message>
        <source>Ticket %1</source>
        <translation>排队号 %1</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
</context>
<context>
    <name>CustomerScreenView</name>
    <message>
        <source>Customer screen</source>
        <translation>客户评价屏</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>欢迎光临</translation>
    </message>
    <message>
        <source>Amount due</source>
        <translation>应收</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>实收</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>找零</translation>
    </message>
    <message>
        <source>Please rate our service</source>
        <translation>请您对本次服务作出评价</translation>
    </message>
    <message>
        <source>Very satisfied</source>
        <translation>非常满意</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Fairly satisfied</source>
        <translation>基本满意</translation>
    </message>
    <message>
        <source>Unsatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>Thank you for your rating!</source>
        <translation>感谢您的评价！</translation>
    </message>
</context>
<context>
    <name>DayCloseDialog</name>
    <message>
        <source>Only a hall manager can close or reopen a day.</source>
        <translation>只有主任可以日结或重新开启。</translation>
    </message>
    <message>
        <source>Receipts %1 to %2 (%3)</source>
        <translation>票据号 %1 至 %2（%3 张）</translation>
    </message>
    <message>
        <source>Receipt numbers without gaps</source>
        <translation>票据号连续，无缺号</translation>
    </message>
    <message>
        <source>Missing receipt numbers: %1</source>
        <translation>缺少票据号：%1</translation>
    </message>
    <message>
        <source>Receipt numbers lost in restore: %1</source>
        <translation>恢复中丢失的票据号（客户已持有，不再使用）：%1</translation>
    </message>
    <message>
        <source>Unprinted receipts: %1</source>
        <translation>未打印票据：%1 张</translation>
    </message>
    <message>
        <source>%1 is closed.</source>
        <translation>%1 已日结。</translation>
    </message>
    <message>
        <source>%1 can be closed.</source>
        <translation>%1 可以日结。</translation>
    </message>
    <message>
        <source>%1 cannot be closed yet.</source>
        <translation>%1 还不能日结。</translation>
    </message>
    <message>
        <source>Closing %1: report and backup…</source>
        <translation>正在日结 %1：生成报表并备份…</translation>
    </message>
    <message>
        <source>The day is closed but the report could not be written: %1</source>
        <translation>已日结，但报表未能写入：%1</translation>
    </message>
    <message>
        <source>Closed. Net %1 yuan, %2 payments.</source>
        <translation>已日结。净额 %1 元，收费 %2 笔。</translation>
    </message>
    <message>
        <source>Backup: %1</source>
        <translation>已备份：%1</translation>
    </message>
    <message>
        <source>Backup failed: %1</source>
        <translation>备份失败：%1</translation>
    </message>
    <message>
        <source>Reopen the day</source>
        <translation>重新开启营业日</translation>
    </message>
    <message>
        <source>Why must the closed day be reopened?</source>
        <translation>为什么需要重新开启已日结的日期？</translation>
    </message>
    <message>
        <source>The day is open again; the reason is recorded.</source>
        <translation>该日已重新开启，原因已记录。</translation>
    </message>
</context>
<context>
    <name>DayCloseDialogView</name>
    <message>
        <source>Day close</source>
        <translation>日清日结</translation>
    </message>
    <message>
        <source>Business day</source>
        <translation>营业日</translation>
    </message>
    <message>
        <source>Check again (F5)</source>
        <translation>重新检查 (F5)</translation>
    </message>
    <message>
        <source>Working… please wait.</source>
        <translation>正在处理，请稍候…</translation>
    </message>
    <message>
        <source>Close the day (Ctrl+Enter)</source>
        <translation>日结 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Open report PDF (Ctrl+O)</source>
        <translation>打开报表 PDF (Ctrl+O)</translation>
    </message>
    <message>
        <source>Reopen the day…</source>
        <translation>重新开启…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
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
    <name>Display</name>
    <message>
        <source>One moment…</source>
        <translation>请稍候…</translation>
    </message>
    <message>
        <source>Gas supply stop %1: %2 to %3, %4 (%5)</source>
        <translation>停气通知 %1：%2 至 %3，%4（%5）</translation>
    </message>
    <message>
        <source>Page %1/%2</source>
        <translation>第 %1/%2 页</translation>
    </message>
    <message>
        <source>%1 %2: %3 waiting</source>
        <translation>%1 %2：%3 人等候</translation>
    </message>
    <message>
        <source>Number %1, please go to window %2</source>
        <translation>请 %1 号到 %2 号窗口办理</translation>
    </message>
</context>
<context>
    <name>FirstHallDialog</name>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <source>Creating the hall…</source>
        <translation>正在创建营业厅…</translation>
    </message>
</context>
<context>
    <name>FirstHallView</name>
    <message>
        <source>CounterDesk — create the hall</source>
        <translation>CounterDesk —— 创建营业厅</translation>
    </message>
    <message>
        <source>This database is empty. Create the business hall and the first administrator; you are signed in afterwards.</source>
        <translation>这是一个空数据库。请创建营业厅和第一位管理员，完成后自动登录。</translation>
    </message>
    <message>
        <source>Hall name</source>
        <translation>营业厅名称</translation>
    </message>
    <message>
        <source>Hall code</source>
        <translation>营业厅代码</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>公司名称</translation>
    </message>
    <message>
        <source>Windows (each serves every service)</source>
        <translation>窗口数（每个窗口办理全部业务）</translation>
    </message>
    <message>
        <source>Administrator's staff number</source>
        <translation>管理员工号</translation>
    </message>
    <message>
        <source>Administrator's name</source>
        <translation>管理员姓名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>Create and sign in</source>
        <translation>创建并登录</translation>
    </message>
</context>
<context>
    <name>FirstRun</name>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Change settings…</source>
        <translation>修改设置……</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>The settings file cannot be used: %1 Correct the settings below and save; the old file is kept next to it as .broken.</source>
        <translation>设置文件无法使用：%1 请在下面改正后保存；原文件会以 .broken 结尾另存在同一文件夹。</translation>
    </message>
    <message>
        <source>Check this PC's settings; they are saved in %1.</source>
        <translation>请检查本机设置；设置保存在 %1。</translation>
    </message>
    <message>
        <source>The database did not answer: %1 Correct the settings below, test and save.</source>
        <translation>数据库没有应答：%1 请在下面改正设置，测试后保存。</translation>
    </message>
    <message>
        <source>Enter the server's database URL, e.g. postgresql+psycopg://user:password@server/counterdesk</source>
        <translation>请填写服务器数据库地址，例如 postgresql+psycopg://用户:密码@服务器/counterdesk</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接……</translation>
    </message>
    <message>
        <source>The database did not answer; correct it or choose this PC, then save again.</source>
        <translation>数据库没有应答：请改正地址或改用本机数据库，然后再保存。</translation>
    </message>
    <message>
        <source>Sending a test page to %1…</source>
        <translation>正在向 %1 发送测试页……</translation>
    </message>
    <message>
        <source>Correct the printer address, or choose “No receipt printer”.</source>
        <translation>请改正打印机地址，或选择“不接票据打印机”。</translation>
    </message>
    <message>
        <source>The settings could not be saved to %1: %2</source>
        <translation>设置无法保存到 %1：%2</translation>
    </message>
    <message>
        <source>Only an administrator may change this PC's settings: start CounterDesk with “Run as administrator”, or ask IT.</source>
        <translation>只有管理员可以修改本机设置：请右键 CounterDesk 选择“以管理员身份运行”后再保存，或请 IT 人员处理。</translation>
    </message>
</context>
<context>
    <name>FirstRunView</name>
    <message>
        <source>CounterDesk — set up this PC</source>
        <translation>CounterDesk — 本机设置</translation>
    </message>
    <message>
        <source>This PC has no CounterDesk settings yet. Choose the database, this PC's window and its receipt printer; they are saved in %1.</source>
        <translation>本机还没有 CounterDesk 设置。请选择数据库、本机窗口号和票据打印机；设置将保存在 %1。</translation>
    </message>
    <message>
        <source>This PC only (a database file on this PC)</source>
        <translation>仅本机（数据库文件在本机）</translation>
    </message>
    <message>
        <source>The hall's database server (PostgreSQL)</source>
        <translation>营业厅数据库服务器（PostgreSQL）</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>0 — kiosk, display or office PC</source>
        <translation>0 — 取号机、叫号屏或办公电脑</translation>
    </message>
    <message>
        <source>This PC</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>Hall code</source>
        <translation>营业厅代码</translation>
    </message>
    <message>
        <source>Window number</source>
        <translation>窗口号</translation>
    </message>
    <message>
        <source>No receipt printer</source>
        <translation>不接票据打印机</translation>
    </message>
    <message>
        <source>Network printer (IP address)</source>
        <translation>网络打印机（IP 地址）</translation>
    </message>
    <message>
        <source>Windows printer (name)</source>
        <translation>Windows 打印机（名称）</translation>
    </message>
    <message>
        <source>USB printer (VID:PID)</source>
        <translation>USB 打印机（VID:PID）</translation>
    </message>
    <message>
        <source>Serial port (e.g. COM3)</source>
        <translation>串口（如 COM3）</translation>
    </message>
    <message>
        <source>File (testing)</source>
        <translation>文件（测试用）</translation>
    </message>
    <message>
        <source>80 mm paper</source>
        <translation>80 毫米纸</translation>
    </message>
    <message>
        <source>58 mm paper</source>
        <translation>58 毫米纸</translation>
    </message>
    <message>
        <source>Test print</source>
        <translation>打印测试页</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>票据打印机</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Save and start</source>
        <translation>保存并启动</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>HallStartup</name>
    <message>
        <source>Connection lost — retrying…</source>
        <translation>网络连接中断，正在重试…</translation>
    </message>
</context>
<context>
    <name>HourChart</name>
    <message>
        <source>No tickets in this period</source>
        <translation>该时段没有取号</translation>
    </message>
</context>
<context>
    <name>Kiosk</name>
    <message>
        <source>%1 waiting</source>
        <translation>%1 人等候</translation>
    </message>
    <message>
        <source>not offered now</source>
        <translation>暂不办理</translation>
    </message>
    <message>
        <source>One moment…</source>
        <translation>请稍候…</translation>
    </message>
    <message>
        <source>Sorry, the system is busy. Please try again or ask the hall staff.</source>
        <translation>系统繁忙，请稍后再试或咨询大堂工作人员。</translation>
    </message>
    <message>
        <source>Printing your ticket… %1 waiting ahead of you</source>
        <translation>正在打印号票… 您前面还有 %1 人</translation>
    </message>
    <message>
        <source>Please take your ticket. %1 waiting ahead of you.</source>
        <translation>请取走号票。您前面还有 %1 人等候。</translation>
    </message>
    <message>
        <source>The ticket could not be printed. Your number is %1 — please remember it; you keep your place.</source>
        <translation>号票打印失败。您的号码是 %1，请记住此号码，排队位置不变。</translation>
    </message>
</context>
<context>
    <name>KioskView</name>
    <message>
        <source>Touch your service to take a number</source>
        <translation>请点击您要办理的业务取号</translation>
    </message>
    <message>
        <source>✔ Priority lane ON — now touch your service (touch here to cancel)</source>
        <translation>✔ 绿色通道已开启 — 请点选业务（再点此处取消）</translation>
    </message>
    <message>
        <source>Priority lane (elderly, disabled, pregnant): touch to turn on</source>
        <translation>绿色通道（老人、残障人士、孕妇）：点此开启</translation>
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
    <name>ListEditorDialog</name>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>LoadingActions</name>
    <message>
        <source>meter %1</source>
        <translation>表号 %1</translation>
    </message>
    <message>
        <source> (closed)</source>
        <translation>（已销户）</translation>
    </message>
    <message>
        <source>%1 is an account number: loaded as the account</source>
        <translation>%1 是户号：已作为户号载入</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Clerk %1 %2</source>
        <translation>柜员 %1 %2</translation>
    </message>
    <message>
        <source>Window %1</source>
        <translation>%1 号窗口</translation>
    </message>
    <message>
        <source>No window</source>
        <translation>未绑定窗口</translation>
    </message>
    <message>
        <source>Printer: %1</source>
        <translation>打印机：%1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>Switch user / sign out</source>
        <translation>切换用户/注销</translation>
    </message>
    <message>
        <source>Database %1: %2</source>
        <translation>数据库 %1：%2</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>NOT REACHABLE</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>OFFLINE</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Receipts waiting: %1</source>
        <translation>待打印票据：%1</translation>
    </message>
    <message>
        <source>About CounterDesk</source>
        <translation>关于 CounterDesk</translation>
    </message>
    <message>
        <source>CounterDesk %1 — business hall counter system</source>
        <translation>CounterDesk %1 — 营业厅窗口服务系统</translation>
    </message>
    <message>
        <source>Customer at the window</source>
        <translation>窗口有客户</translation>
    </message>
    <message>
        <source>Ticket %1 is still at this window (not finished). Leave anyway?</source>
        <translation>%1 号客户还在本窗口（未办结）。仍要离开吗？</translation>
    </message>
</context>
<context>
    <name>MainWindowView</name>
    <message>
        <source>CounterDesk %1</source>
        <translation>营业厅窗口服务系统 CounterDesk %1</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Business</source>
        <translation>业务(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Queue</source>
        <translation>排队(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Manage</source>
        <translation>管理(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Sign out and quit</source>
        <translation>退出登录并关闭</translation>
    </message>
    <message>
        <source>About CounterDesk</source>
        <translation>关于 CounterDesk</translation>
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
    <name>OpeningFormView</name>
    <message>
        <source>Open an account</source>
        <translation>开户</translation>
    </message>
    <message>
        <source>Holder</source>
        <translation>户主</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>个人</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>户主姓名/名称</translation>
    </message>
    <message>
        <source>ID type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Customer type</source>
        <translation>客户类型</translation>
    </message>
    <message>
        <source>District</source>
        <translation>区</translation>
    </message>
    <message>
        <source>Street</source>
        <translation>街道/路</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>小区/社区</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>楼栋</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>房号</translation>
    </message>
    <message>
        <source>Address note</source>
        <translation>地址补充</translation>
    </message>
    <message>
        <source>Meter number</source>
        <translation>表号</translation>
    </message>
    <message>
        <source>Meter type</source>
        <translation>表型</translation>
    </message>
    <message>
        <source>Supply contract no.</source>
        <translation>供用气合同编号</translation>
    </message>
    <message>
        <source>Supply contract date</source>
        <translation>供用气合同签订日期</translation>
    </message>
    <message>
        <source>Safety contract no.</source>
        <translation>安全用气合同编号</translation>
    </message>
    <message>
        <source>Safety contract date</source>
        <translation>安全用气合同签订日期</translation>
    </message>
    <message>
        <source>Special group</source>
        <translation>特殊群体</translation>
    </message>
</context>
<context>
    <name>PauseDialog</name>
    <message>
        <source>Pause this window</source>
        <translation>暂停本窗口服务</translation>
    </message>
    <message>
        <source>(choose a reason)</source>
        <translation>（选择原因）</translation>
    </message>
    <message>
        <source>Where you go (required for 'other')</source>
        <translation>去向（原因为“其他”时必填）</translation>
    </message>
    <message>
        <source>Longer than %1 min: a covering colleague and a manager's approval are needed.</source>
        <translation>离开超过 %1 分钟：须有同事顶岗并经主任授权。</translation>
    </message>
    <message>
        <source>Staff number</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Back at</source>
        <translation>预计返回</translation>
    </message>
    <message>
        <source>Covered by</source>
        <translation>顶岗人</translation>
    </message>
</context>
<context>
    <name>PauseModel</name>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>去向</translation>
    </message>
    <message>
        <source>Back at</source>
        <translation>预计返回</translation>
    </message>
    <message>
        <source>Covered by</source>
        <translation>顶岗人</translation>
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
        <source>Short %1</source>
        <translation>还差 %1</translation>
    </message>
    <message>
        <source>Paid: receipt %1, %2 yuan, change %3</source>
        <translation>收费成功：票据号 %1，金额 %2 元，找零 %3 元</translation>
    </message>
    <message>
        <source>Already paid (saved before the connection broke; not taken twice): receipt %1, %2 yuan, change %3</source>
        <translation>已收费（连接中断前已保存，未重复收取）：票据号 %1，金额 %2 元，找零 %3</translation>
    </message>
    <message>
        <source>Reprint receipt</source>
        <translation>补打收据</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>收费</translation>
    </message>
    <message>
        <source>Working out the amount; the payment follows.</source>
        <translation>正在计算金额，算好后立即收款。</translation>
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
    <message>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
</context>
<context>
    <name>PhraseEditor</name>
    <message>
        <source>Show sources and ids</source>
        <translation>显示出处和编号</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <source>Source: %1</source>
        <translation>出处：%1</translation>
    </message>
    <message>
        <source>Phrase %1</source>
        <translation>第 %1 条</translation>
    </message>
    <message>
        <source>%1 — as shipped</source>
        <translation>%1 —— 默认</translation>
    </message>
    <message>
        <source>%1 — changed by a manager</source>
        <translation>%1 —— 已由主任修改</translation>
    </message>
    <message>
        <source>%1 — added by a manager</source>
        <translation>%1 —— 由主任新增</translation>
    </message>
    <message>
        <source>New phrase in “%1”</source>
        <translation>在“%1”中新增用语</translation>
    </message>
    <message>
        <source>Saved. Every window of the hall sees the change.</source>
        <translation>已保存，本营业厅的所有窗口都会看到修改。</translation>
    </message>
    <message>
        <source>Removed.</source>
        <translation>已删除。</translation>
    </message>
    <message>
        <source>Restored as shipped.</source>
        <translation>已恢复默认。</translation>
    </message>
    <message>
        <source>This item was not changed.</source>
        <translation>此条未被修改过。</translation>
    </message>
    <message>
        <source>Undo every change to the service phrases of this hall and go back to the shipped phrases?</source>
        <translation>撤销本营业厅对服务用语的全部修改，恢复为默认用语？</translation>
    </message>
    <message>
        <source>All defaults restored (%1 changes undone).</source>
        <translation>已全部恢复默认（撤销 %1 处修改）。</translation>
    </message>
</context>
<context>
    <name>PhraseEditorView</name>
    <message>
        <source>Edit service phrases</source>
        <translation>编辑服务用语</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Phrase</source>
        <translation>用语</translation>
    </message>
    <message>
        <source>Say instead</source>
        <translation>应说</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新增(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>删除(&amp;R)</translation>
    </message>
    <message>
        <source>Restore &amp;this item</source>
        <translation>恢复此条(&amp;T)</translation>
    </message>
    <message>
        <source>Restore &amp;all defaults</source>
        <translation>全部恢复默认(&amp;A)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Situation / group</source>
        <translation>情境 / 分组</translation>
    </message>
</context>
<context>
    <name>PhraseTableModel</name>
    <message>
        <source>Phrase</source>
        <translation>用语</translation>
    </message>
    <message>
        <source>Say instead / note</source>
        <translation>应说 / 说明</translation>
    </message>
</context>
<context>
    <name>PolicyModel</name>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>当前值</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认值</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键名</translation>
    </message>
    <message>
        <source>Changed by %1</source>
        <translation>由 %1 修改</translation>
    </message>
</context>
<context>
    <name>PolicyScreen</name>
    <message>
        <source>Hall rules</source>
        <translation>营业厅规则</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Back to &amp;default</source>
        <translation>恢复默认(&amp;D)</translation>
    </message>
    <message>
        <source>A whole number from %1 to %2</source>
        <translation>%1 到 %2 的整数</translation>
    </message>
    <message>
        <source>true or false (yes/no)</source>
        <translation>是 或 否（true/false）</translation>
    </message>
    <message>
        <source>A time HH:MM, e.g. 08:30</source>
        <translation>HH:MM 格式的时间，如 08:30</translation>
    </message>
    <message>
        <source>code=name, separated by commas; a new code is 2-16 letters a-z or _; a type still in use cannot be removed, only renamed</source>
        <translation>代码=名称，以逗号分隔；新代码为 2–16 个小写英文字母或下划线；仍在使用的类型不能去掉，只能改名</translation>
    </message>
    <message>
        <source>Dates or ranges separated by commas, e.g. 2027-01-01, 2027-02-06..2027-02-12</source>
        <translation>以逗号分隔的日期或区间，如 2027-01-01, 2027-02-06..2027-02-12</translation>
    </message>
    <message>
        <source>Text, at most %1 characters</source>
        <translation>文本，不超过 %1 个字</translation>
    </message>
    <message>
        <source>Saved: %1 = %2</source>
        <translation>已保存：%1 = %2</translation>
    </message>
    <message>
        <source>Hall rules…</source>
        <translation>营业厅规则…</translation>
    </message>
</context>
<context>
    <name>PromptPanel</name>
    <message>
        <source>Phrases</source>
        <translation>服务用语</translation>
    </message>
    <message>
        <source>Waiting for the next customer</source>
        <translation>等待下一位客户</translation>
    </message>
    <message>
        <source>Service phrases (loading…)</source>
        <translation>服务用语（正在读取…）</translation>
    </message>
    <message>
        <source>Service phrases</source>
        <translation>服务用语</translation>
    </message>
    <message>
        <source>Voice: moderate volume, warm tone, %1–%2 characters a minute.</source>
        <translation>声音：音量适中，语气亲切，语速每分钟 %1–%2 字。</translation>
    </message>
    <message>
        <source>Copied: %1</source>
        <translation>已复制：%1</translation>
    </message>
    <message>
        <source>Ticket %1 called — waited %2 min: apologise first</source>
        <translation>已叫 %1 号 —— 已等候 %2 分钟：先致歉</translation>
    </message>
    <message>
        <source>Ticket %1 called — greet the customer</source>
        <translation>已叫 %1 号 —— 问候客户</translation>
    </message>
    <message>
        <source>Ticket %1 transferred — hand the customer over</source>
        <translation>%1 号已转办 —— 衔接用语</translation>
    </message>
    <message>
        <source>Ticket %1 finished — see the customer off</source>
        <translation>%1 号已办结 —— 送客</translation>
    </message>
    <message>
        <source>Account %1 — address the customer</source>
        <translation>户号 %1 —— 称呼客户</translation>
    </message>
    <message>
        <source>Payment recorded, receipt %1 — say the amounts, thank the customer</source>
        <translation>已收款，票据 %1 —— 唱收唱付，致谢</translation>
    </message>
    <message>
        <source>Not possible: %1 — explain patiently</source>
        <translation>不能办理：%1 —— 耐心解释</translation>
    </message>
    <message>
        <source>Not possible — explain patiently</source>
        <translation>不能办理 —— 耐心解释</translation>
    </message>
    <message>
        <source>Elderly or disabled customer — help, louder and slower</source>
        <translation>老年或残障客户 —— 主动帮助，声音提高、语速放慢</translation>
    </message>
    <message>
        <source>Search service phrases</source>
        <translation>搜索服务用语</translation>
    </message>
    <message>
        <source>Copy the selected phrase</source>
        <translation>复制所选用语</translation>
    </message>
    <message>
        <source>Edit service phrases…</source>
        <translation>编辑服务用语…</translation>
    </message>
</context>
<context>
    <name>PromptPanelView</name>
    <message>
        <source>Service phrases</source>
        <translation>服务用语</translation>
    </message>
    <message>
        <source>Search phrases (F11): characters or pinyin initials</source>
        <translation>搜索用语（F11）：汉字或拼音首字母</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <source>Window %1 — clerk %2</source>
        <translation>%1 号窗口 — 柜员 %2</translation>
    </message>
    <message>
        <source>Call next</source>
        <translation>叫下一位</translation>
    </message>
    <message>
        <source>Customer here</source>
        <translation>客户已到</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>重呼</translation>
    </message>
    <message>
        <source>No-show</source>
        <translation>过号</translation>
    </message>
    <message>
        <source>Transfer…</source>
        <translation>转办…</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>Pause / resume window…</source>
        <translation>暂停/恢复服务…</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>挂起</translation>
    </message>
    <message>
        <source>Queue statistics…</source>
        <translation>排队统计…</translation>
    </message>
    <message>
        <source>Database not reachable — retrying…</source>
        <translation>数据库连接中断，正在重试…</translation>
    </message>
    <message>
        <source>No customer at this window</source>
        <translation>本窗口当前没有客户</translation>
    </message>
    <message>
        <source>called</source>
        <translation>已叫号</translation>
    </message>
    <message>
        <source>serving</source>
        <translation>办理中</translation>
    </message>
    <message>
        <source>held</source>
        <translation>挂起</translation>
    </message>
    <message>
        <source>priority</source>
        <translation>绿色通道</translation>
    </message>
    <message>
        <source>recalled %1×</source>
        <translation>已重呼 %1 次</translation>
    </message>
    <message>
        <source>first clerk %1</source>
        <translation>首问柜员 %1</translation>
    </message>
    <message>
        <source>Waited %1</source>
        <translation>已等候 %1</translation>
    </message>
    <message>
        <source>Serving %1</source>
        <translation>办理 %1</translation>
    </message>
    <message>
        <source>Resume service (F7)</source>
        <translation>恢复服务 (F7)</translation>
    </message>
    <message>
        <source>Pause (F7)</source>
        <translation>暂停服务 (F7)</translation>
    </message>
    <message>
        <source>This window is paused</source>
        <translation>此窗口暂停服务</translation>
    </message>
    <message>
        <source>%1 — back at %2</source>
        <translation>%1 — 预计 %2 返回</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <source>The last action is still being processed; one moment</source>
        <translation>上一个操作还在处理中，请稍候</translation>
    </message>
    <message>
        <source>Called %1 (waited %2)</source>
        <translation>已叫 %1（等候 %2）</translation>
    </message>
    <message>
        <source>Recalled %1 (%2 of %3)</source>
        <translation>已重呼 %1（第 %2 次，上限 %3 次）</translation>
    </message>
    <message>
        <source>%1 marked no-show</source>
        <translation>%1 已过号</translation>
    </message>
    <message>
        <source>%1 finished</source>
        <translation>%1 已办结</translation>
    </message>
    <message>
        <source>%1 held</source>
        <translation>%1 已挂起</translation>
    </message>
    <message>
        <source>No customer is held here</source>
        <translation>本窗口没有挂起的客户</translation>
    </message>
    <message>
        <source>window %1</source>
        <translation>%1 号窗口</translation>
    </message>
    <message>
        <source>%1 transferred to %2</source>
        <translation>%1 已转办到 %2</translation>
    </message>
    <message>
        <source>Window paused until %1</source>
        <translation>本窗口暂停服务，预计 %1 返回</translation>
    </message>
    <message>
        <source>Window open again</source>
        <translation>本窗口已恢复服务</translation>
    </message>
</context>
<context>
    <name>QueuePanelView</name>
    <message>
        <source>Current customer</source>
        <translation>当前客户</translation>
    </message>
    <message>
        <source>Call next (F2)</source>
        <translation>叫号 (F2)</translation>
    </message>
    <message>
        <source>Customer here</source>
        <translation>客户已到</translation>
    </message>
    <message>
        <source>Finish (F6)</source>
        <translation>办结 (F6)</translation>
    </message>
    <message>
        <source>Recall (F3)</source>
        <translation>重呼 (F3)</translation>
    </message>
    <message>
        <source>No-show (F4)</source>
        <translation>过号 (F4)</translation>
    </message>
    <message>
        <source>Transfer (F5)</source>
        <translation>转办 (F5)</translation>
    </message>
    <message>
        <source>Hold (Ctrl+H)</source>
        <translation>挂起 (Ctrl+H)</translation>
    </message>
    <message>
        <source>Pause (F7)</source>
        <translation>暂停服务 (F7)</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等候</translation>
    </message>
    <message>
        <source>Held here (select and resume)</source>
        <translation>本窗口挂起的客户（选中后恢复）</translation>
    </message>
    <message>
        <source>Resume held customer</source>
        <translation>恢复办理挂起客户</translation>
    </message>
    <message>
        <source>Paused windows</source>
        <translation>暂停服务的窗口</translation>
    </message>
</context>
<context>
    <name>QueuePoller</name>
    <message>
        <source>The database does not answer; retrying…</source>
        <translation>数据库无响应，正在重试…</translation>
    </message>
</context>
<context>
    <name>QueueStatsDialog</name>
    <message>
        <source>Busiest hours: %1</source>
        <translation>最忙时段：%1</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
</context>
<context>
    <name>QueueStatsView</name>
    <message>
        <source>Queue statistics</source>
        <translation>排队统计</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>By service</source>
        <translation>按业务</translation>
    </message>
    <message>
        <source>By window</source>
        <translation>按窗口</translation>
    </message>
    <message>
        <source>By clerk</source>
        <translation>按柜员</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>正在处理…</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
</context>
<context>
    <name>ReceiptActions</name>
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
</context>
<context>
    <name>RecentCallsModel</name>
    <message>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>(recall)</source>
        <translation>（重呼）</translation>
    </message>
    <message>
        <source>Window %1</source>
        <translation>%1 号窗口</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <source>Record complaint or enquiry</source>
        <translation>登记投诉/咨询</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Enquiry</source>
        <translation>咨询</translation>
    </message>
    <message>
        <source>Help request</source>
        <translation>求助</translation>
    </message>
    <message>
        <source>At the window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Hotline</source>
        <translation>热线</translation>
    </message>
    <message>
        <source>e.g. Mr Zhang</source>
        <translation>如：张先生</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Customer name</source>
        <translation>客户称呼</translation>
    </message>
    <message>
        <source>Contact phone *</source>
        <translation>联系电话 *</translation>
    </message>
    <message>
        <source>Account number</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>排队号</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Description *</source>
        <translation>事由描述 *</translation>
    </message>
</context>
<context>
    <name>ReminderTableModel</name>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Follow up by</source>
        <translation>回访期限</translation>
    </message>
    <message>
        <source>Callable</source>
        <translation>可回访</translation>
    </message>
    <message>
        <source>now</source>
        <translation>现在</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>%1 起</translation>
    </message>
</context>
<context>
    <name>RenameFormView</name>
    <message>
        <source>Rename account %1</source>
        <translation>更名 %1</translation>
    </message>
    <message>
        <source>Corrected name</source>
        <translation>更正后的户名</translation>
    </message>
    <message>
        <source>Phone (if changed)</source>
        <translation>联系电话（如有变更）</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Go to payment</source>
        <translation>去缴费</translation>
    </message>
</context>
<context>
    <name>ReopenDialog</name>
    <message>
        <source>Reopen the count — manager's approval</source>
        <translation>重新开启点钞——主任授权</translation>
    </message>
    <message>
        <source>The count is cleared and the clerk counts again; the old count stays in the audit log.</source>
        <translation>清除本次点钞，由柜员重新点钞；原点钞记录保留在审计日志中。</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>ResumeDialog</name>
    <message>
        <source>Resume supply — account %1</source>
        <translation>恢复供气 — 户号 %1</translation>
    </message>
    <message>
        <source>A manager other than you approves; give the number of the inspection that found the hazard removed.</source>
        <translation>须由您以外的一位主任授权，并填写确认隐患已消除的安检单号。</translation>
    </message>
    <message>
        <source>Inspection no.</source>
        <translation>安检单号</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>e.g. hazard removed, re-inspected</source>
        <translation>如：隐患已整改，复检合格</translation>
    </message>
</context>
<context>
    <name>RetypeDialog</name>
    <message>
        <source>Change of customer type — account %1</source>
        <translation>用气性质变更 — 户号 %1</translation>
    </message>
    <message>
        <source>The type sets the gas price. Bills are paid first; a manager other than you approves.</source>
        <translation>客户类型决定气价。须先缴清欠费，并由您以外的主任授权。</translation>
    </message>
    <message>
        <source>New type</source>
        <translation>新的客户类型</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>e.g. the flat became a shop</source>
        <translation>如：住宅改为商铺经营</translation>
    </message>
</context>
<context>
    <name>SearchResultsModel</name>
    <message>
        <source>Account</source>
        <translation>户号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>户名</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>证件号</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>表号</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Looking for PC/SC readers…</source>
        <translation>正在查找 PC/SC 读卡器…</translation>
    </message>
    <message>
        <source>No PC/SC reader found</source>
        <translation>未找到 PC/SC 读卡器</translation>
    </message>
    <message>
        <source>Choose a PC/SC reader (%1 found)</source>
        <translation>选择 PC/SC 读卡器（找到 %1 个）</translation>
    </message>
    <message>
        <source>No card reader set</source>
        <translation>未设置读卡器</translation>
    </message>
    <message>
        <source>Testing the reader…</source>
        <translation>正在测试读卡器…</translation>
    </message>
    <message>
        <source>The reader answers; there is no card in it.</source>
        <translation>读卡器正常，读卡器中没有卡。</translation>
    </message>
    <message>
        <source>The reader answers: a blank card is in it.</source>
        <translation>读卡器正常，读卡器中是一张空白卡。</translation>
    </message>
    <message>
        <source>The reader answers: card %1 is in it.</source>
        <translation>读卡器正常，读卡器中是卡 %1。</translation>
    </message>
    <message>
        <source>The settings could not be saved: %1</source>
        <translation>设置未能保存：%1</translation>
    </message>
</context>
<context>
    <name>SettingsDialogView</name>
    <message>
        <source>Settings of this PC</source>
        <translation>本机设置</translation>
    </message>
    <message>
        <source>High contrast (light text on black)</source>
        <translation>高对比度（黑底亮字）</translation>
    </message>
    <message>
        <source>sim:FOLDER or pcsc:READER NAME</source>
        <translation>sim:文件夹 或 pcsc:读卡器名称</translation>
    </message>
    <message>
        <source>Find readers</source>
        <translation>查找读卡器</translation>
    </message>
    <message>
        <source>Test the reader</source>
        <translation>测试读卡器</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>字体大小</translation>
    </message>
    <message>
        <source>IC card reader</source>
        <translation>IC卡读卡器</translation>
    </message>
    <message>
        <source>Reader</source>
        <translation>读卡器</translation>
    </message>
    <message>
        <source>PC/SC readers</source>
        <translation>PC/SC 读卡器</translation>
    </message>
    <message>
        <source>A new language takes effect at the next sign-in.</source>
        <translation>更改语言在下次登录时生效。</translation>
    </message>
</context>
<context>
    <name>ShortcutTableModel</name>
    <message>
        <source>Key</source>
        <translation>键名</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>菜单</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Database: %1</source>
        <translation>数据库：%1</translation>
    </message>
    <message>
        <source>Connecting to the database…</source>
        <translation>正在连接数据库……</translation>
    </message>
    <message>
        <source>Enter your staff number.</source>
        <translation>请输入工号。</translation>
    </message>
    <message>
        <source>Still connecting to the database; a moment please.</source>
        <translation>仍在连接数据库，请稍候。</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
</context>
<context>
    <name>SignInView</name>
    <message>
        <source>CounterDesk — sign in</source>
        <translation>营业厅窗口服务系统 — 登录</translation>
    </message>
    <message>
        <source>Business hall counter — sign in</source>
        <translation>营业厅窗口 — 柜员登录</translation>
    </message>
    <message>
        <source>Staff number</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>none (office)</source>
        <translation>无（办公室）</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
</context>
<context>
    <name>StaffAdmin</name>
    <message>
        <source>Staff accounts</source>
        <translation>员工账号</translation>
    </message>
    <message>
        <source>Staff no.</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再输一次密码</translation>
    </message>
    <message>
        <source>New account: fill in the fields and press Add. Selected account: type a new password twice and press Reset password (this also lifts a lock-out).</source>
        <translation>新增账号：填写下面各项后按“新增”。选中的账号：输入两次新密码后按“重置密码”（同时解除锁定）。</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>新增(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Reset password</source>
        <translation>重置密码(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Disable</source>
        <translation>停用(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>解除锁定(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Enable</source>
        <translation>启用(&amp;E)</translation>
    </message>
    <message>
        <source>Account %1 (%2) added. Give the person the password; they can change it with “Change my password”.</source>
        <translation>已新增账号 %1（%2）。请把密码交给本人，本人可用“修改我的密码”自行更改。</translation>
    </message>
    <message>
        <source>New password set for %1; a lock-out is lifted.</source>
        <translation>已为 %1 设置新密码，锁定已解除。</translation>
    </message>
    <message>
        <source>%1 can sign in again.</source>
        <translation>%1 已启用，可以重新登录。</translation>
    </message>
    <message>
        <source>%1 is disabled and cannot sign in.</source>
        <translation>%1 已停用，不能登录。</translation>
    </message>
    <message>
        <source>%1 is unlocked.</source>
        <translation>已解除 %1 的锁定。</translation>
    </message>
</context>
<context>
    <name>StaffModel</name>
    <message>
        <source>Staff no.</source>
        <translation>工号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>柜员</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>主任</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Locked (wrong passwords)</source>
        <translation>已锁定（密码错误过多）</translation>
    </message>
    <message>
        <source>Approvals locked (wrong passwords)</source>
        <translation>授权已锁定（密码错误）</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>在用</translation>
    </message>
</context>
<context>
    <name>StatsModel</name>
    <message>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>取号数</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>No-shows</source>
        <translation>过号</translation>
    </message>
    <message>
        <source>Avg wait</source>
        <translation>平均等候</translation>
    </message>
    <message>
        <source>P90 wait</source>
        <translation>P90 等候</translation>
    </message>
    <message>
        <source>Avg service</source>
        <translation>平均办理</translation>
    </message>
    <message>
        <source>P90 service</source>
        <translation>P90 办理</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>柜员</translation>
    </message>
</context>
<context>
    <name>SupplyActions</name>
    <message>
        <source>Only an active account can be stopped</source>
        <translation>只有正常状态的户号才能暂停供气</translation>
    </message>
    <message>
        <source>The supply of this account is not stopped</source>
        <translation>此户号未暂停供气</translation>
    </message>
    <message>
        <source>Supply stopped: %1</source>
        <translation>已暂停供气：%1</translation>
    </message>
    <message>
        <source>Supply resumed: %1</source>
        <translation>已恢复供气：%1</translation>
    </message>
</context>
<context>
    <name>SuspendDialog</name>
    <message>
        <source>Stop supply — account %1</source>
        <translation>暂停供气 — 户号 %1</translation>
    </message>
    <message>
        <source>The account buys no gas until the supply is resumed after an inspection.</source>
        <translation>暂停后此户不能购气，安检合格并恢复供气后方可购气。</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>e.g. hazard found at inspection</source>
        <translation>如：安检发现隐患</translation>
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
        <source>Count the float by denomination, then open the till.</source>
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
        <source>Confirm: submit the count (final)</source>
        <translation>确认提交点钞（提交后不可更改）</translation>
    </message>
    <message>
        <source>The blind count is final and cannot be changed without the manager. Check the counts, then press again to submit.</source>
        <translation>盲点提交后不可更改（须主任重新开启）。请核对各面额张数，再按一次提交。</translation>
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
        <source>Printing the X report…</source>
        <translation>正在打印X报表…</translation>
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
    <message>
        <source>The count is reopened: count the cash again.</source>
        <translation>已重新开启点钞：请重新清点现金。</translation>
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
        <source>&amp;Reopen the count (manager)…</source>
        <translation>重新开启点钞（主任）(&amp;R)…</translation>
    </message>
    <message>
        <source>Cash &amp;in/out…</source>
        <translation>现金存取(&amp;I)…</translation>
    </message>
    <message>
        <source>Print &amp;X report</source>
        <translation>打印X报表(&amp;X)</translation>
    </message>
    <message>
        <source>Working… please wait.</source>
        <translation>正在处理，请稍候…</translation>
    </message>
</context>
<context>
    <name>TillsModel</name>
    <message>
        <source>Clerk</source>
        <translation>收费员</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>应有</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>实点</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>长短款</translation>
    </message>
    <message>
        <source>Explanation</source>
        <translation>情况说明</translation>
    </message>
    <message>
        <source>Countersigned</source>
        <translation>复核人</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>Transfer the customer</source>
        <translation>转办客户</translation>
    </message>
    <message>
        <source>(same service)</source>
        <translation>（原业务）</translation>
    </message>
    <message>
        <source>(any window)</source>
        <translation>（任一窗口）</translation>
    </message>
    <message>
        <source>nobody signed in</source>
        <translation>无人签到</translation>
    </message>
    <message>
        <source>Window %1 (%2) — %3</source>
        <translation>%1 号窗口（%2）— %3</translation>
    </message>
    <message>
        <source>What the next clerk needs to know</source>
        <translation>需要交接给下一位柜员的情况</translation>
    </message>
    <message>
        <source>To service</source>
        <translation>转往业务</translation>
    </message>
    <message>
        <source>To window</source>
        <translation>转往窗口</translation>
    </message>
    <message>
        <source>Hand-over note</source>
        <translation>交接说明</translation>
    </message>
</context>
<context>
    <name>TransferFormView</name>
    <message>
        <source>Transfer account %1</source>
        <translation>过户 %1</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>过户原因</translation>
    </message>
    <message>
        <source>New holder</source>
        <translation>新户主</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>个人</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>New holder's name</source>
        <translation>新户主姓名/名称</translation>
    </message>
    <message>
        <source>ID type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Go to payment</source>
        <translation>去缴费</translation>
    </message>
</context>
<context>
    <name>VoidDialog</name>
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
</context>
<context>
    <name>WaitingModel</name>
    <message>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等候</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>绿色通道</translation>
    </message>
</context>
<context>
    <name>WindowsModel</name>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Now serving</source>
        <translation>正在办理</translation>
    </message>
    <message>
        <source>Window %1</source>
        <translation>%1 号窗口</translation>
    </message>
    <message>
        <source>Paused — back at %1</source>
        <translation>暂停服务 %1返回</translation>
    </message>
    <message>
        <source>Not open</source>
        <translation>未开放</translation>
    </message>
</context>
<context>
    <name>Workstation</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>快捷键一览</translation>
    </message>
    <message>
        <source>Settings of this PC…</source>
        <translation>本机设置…</translation>
    </message>
    <message>
        <source>Larger text</source>
        <translation>放大字体</translation>
    </message>
    <message>
        <source>Smaller text</source>
        <translation>缩小字体</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>高对比度</translation>
    </message>
    <message>
        <source>Change my password…</source>
        <translation>修改我的密码…</translation>
    </message>
    <message>
        <source>Staff accounts…</source>
        <translation>员工账号…</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Your password is changed.</source>
        <translation>您的密码已修改。</translation>
    </message>
    <message>
        <source>Text size %1×</source>
        <translation>字体大小 %1×</translation>
    </message>
    <message>
        <source>The language changes at the next sign-in.</source>
        <translation>语言将在下次登录时更改。</translation>
    </message>
    <message>
        <source>Today: %1 served</source>
        <translation>今日已办 %1 笔</translation>
    </message>
    <message>
        <source>takings ￥%1</source>
        <translation>收款 ￥%1</translation>
    </message>
    <message>
        <source>%1 payments</source>
        <translation>收费 %1 笔</translation>
    </message>
    <message>
        <source>Receipts waiting: %1</source>
        <translation>待打票据：%1</translation>
    </message>
    <message>
        <source>This window is paused</source>
        <translation>此窗口暂停服务</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>原因：%1</translation>
    </message>
    <message>
        <source>Back at %1</source>
        <translation>预计 %1 恢复</translation>
    </message>
    <message>
        <source>F7 resumes the service</source>
        <translation>按 F7 恢复服务</translation>
    </message>
</context>
<context>
    <name>_FormView</name>
    <message>
        <source>Documents checked</source>
        <translation>已核验资料</translation>
    </message>
</context>
</TS>