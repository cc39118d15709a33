<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
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
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
</context>
<context>
    <name>ComplaintPanel</name>
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
</TS>