<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN" sourcelanguage="en">
<context>
    <name>Age</name>
    <message>
        <location filename="../../widgets/text.py" line="+59"/>
        <source>{0} s</source>
        <translation>{0} giây</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} min</source>
        <translation>{0} phút</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} h</source>
        <translation>{0} giờ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} d</source>
        <translation>{0} ngày</translation>
    </message>
</context>
<context>
    <name>AlarmBanner</name>
    <message>
        <location filename="../../widgets/alarm_banner.py" line="+83"/>
        <source>Acknowledge</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Silence</source>
        <translation>Tắt âm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mute the alarm tone for a few minutes; the alarms stay unacknowledged</source>
        <translation>Tắt chuông cảnh báo trong vài phút; các cảnh báo vẫn chưa được xác nhận</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>{0} unacknowledged · {1} active</source>
        <translation>{0} chưa xác nhận · {1} đang hoạt động</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} shelved · {1} out of service</source>
        <translation>{0} đang tạm gác · {1} ngoài vận hành</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>NOT CURRENT</source>
        <translation>DỮ LIỆU CŨ</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{0} · no data received</source>
        <translation>{0} · chưa nhận được dữ liệu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} · data from {1}</source>
        <translation>{0} · cập nhật lần cuối {1}</translation>
    </message>
    <message>
        <source>{0} active, {1} unacknowledged</source>
        <translation type="vanished">{0} đang hoạt động, {1} chưa xác nhận</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>{0} not current</source>
        <translation>{0} không còn cập nhật</translation>
    </message>
</context>
<context>
    <name>AlarmCenter</name>
    <message>
        <location filename="../../widgets/alarm_center.py" line="+118"/>
        <source>In review: alarms cannot be acted on from a past moment; back to live first (F12)</source>
        <translation>Đang xem lại: không thể thao tác cảnh báo từ một thời điểm đã qua; hãy trở về trực tiếp trước (F12)</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Nothing is calling for a tone: nothing to silence</source>
        <translation>Không có cảnh báo nào đang đổ chuông: không có gì để tắt âm</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Tone silenced until {0} on this console, but the journal refused it: {1}</source>
        <translation>Đã tắt âm đến {0} trên bàn điều khiển này, nhưng nhật ký không ghi nhận được: {1}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tone silenced until {0}; the alarms stay unacknowledged</source>
        <translation>Đã tắt âm đến {0}; các cảnh báo vẫn chưa được xác nhận</translation>
    </message>
</context>
<context>
    <name>AlarmHealthPanel</name>
    <message>
        <location filename="../../widgets/alarm_health_panel.py" line="+109"/>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Alarms per operator per day</source>
        <translation>Cảnh báo mỗi người trực mỗi ngày</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Alarms per 10 min (average · peak)</source>
        <translation>Cảnh báo mỗi 10 phút (trung bình · cao nhất)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>10-min periods in flood (&gt; {0})</source>
        <translation>Khoảng 10 phút bị dồn dập (&gt; {0})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Critical share (priority 1)</source>
        <translation>Tỷ lệ nghiêm trọng (ưu tiên 1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chattering (≥ 3 changes in 1 min)</source>
        <translation>Chập chờn (≥ 3 lần đổi trong 1 phút)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stale (active &gt; 24 h)</source>
        <translation>Tồn đọng (hoạt động &gt; 24 giờ)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shelved</source>
        <translation>Tạm gác</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Out of service</source>
        <translation>Ngoài vận hành</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Alarms</source>
        <translation>Số cảnh báo</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Share</source>
        <translation>Tỷ lệ</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+2"/>
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <location line="-2"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>Alarm</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Changes</source>
        <translation>Số lần đổi</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Most in 60 s</source>
        <translation>Nhiều nhất trong 60 giây</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>First at</source>
        <translation>Lần đầu lúc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Active since</source>
        <translation>Hoạt động từ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>For</source>
        <translation>Đã được</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Top 10</source>
        <translation>10 cảnh báo nhiều nhất</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chattering</source>
        <translation>Chập chờn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stale</source>
        <translation>Tồn đọng</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Alarm-system health, last 24 hours</source>
        <translation>Tình trạng hệ thống cảnh báo, 24 giờ qua</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>The alarm journal is not available</source>
        <translation>Không truy cập được nhật ký cảnh báo</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Computing…</source>
        <translation>Đang tính…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The alarm journal could not be read</source>
        <translation>Không đọc được nhật ký cảnh báo</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Computed at {0}; refreshed every minute</source>
        <translation>Tính lúc {0}; cập nhật mỗi phút</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{0} %</source>
        <translation>{0} %</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{0} s</source>
        <translation>{0} giây</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{0} d {1} h</source>
        <translation>{0} ngày {1} giờ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} h {1} min</source>
        <translation>{0} giờ {1} phút</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} min</source>
        <translation>{0} phút</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No alarm journal in the cache yet</source>
        <translation>Bộ nhớ đệm chưa có nhật ký cảnh báo</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Alarm-system health: the alarm journal is empty</source>
        <translation>Tình trạng hệ thống cảnh báo: nhật ký cảnh báo đang trống</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alarm-system health, {0} to {1}</source>
        <translation>Tình trạng hệ thống cảnh báo, từ {0} đến {1}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>met</source>
        <translation>đạt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>NOT MET</source>
        <translation>KHÔNG ĐẠT</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>peak at {0} · target at most {1}: {2}</source>
        <translation>cao nhất lúc {0} · mục tiêu tối đa {1}: {2}</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>{0} open · total {1} · longest {2}</source>
        <translation>{0} đang mở · tổng {1} · dài nhất {2}</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>{0} of {1} periods</source>
        <translation>{0}/{1} khoảng</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+4"/>
        <source>target at most {0}: {1}</source>
        <translation>mục tiêu tối đa {0}: {1}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{0}: {1} ({2})</source>
        <translation>{0}: {1} ({2})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Alarms by priority: {0}</source>
        <translation>Cảnh báo theo mức ưu tiên: {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} alarms raised, {1} journal events</source>
        <translation>{0} cảnh báo phát sinh, {1} sự kiện trong nhật ký</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Chattering ({0})</source>
        <translation>Chập chờn ({0})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stale ({0})</source>
        <translation>Tồn đọng ({0})</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Alarm id: {0}</source>
        <translation>Mã cảnh báo: {0}</translation>
    </message>
</context>
<context>
    <name>AlarmHistory</name>
    <message>
        <location filename="../../widgets/alarm_history.py" line="+40"/>
        <source>Raised</source>
        <translation>Phát sinh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cleared</source>
        <translation>Đã hết</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Acknowledged</source>
        <translation>Đã xác nhận</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shelved</source>
        <translation>Tạm gác</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unshelved</source>
        <translation>Bỏ tạm gác</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suppressed by design</source>
        <translation>Bị chặn theo thiết kế</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No longer suppressed</source>
        <translation>Hết bị chặn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Taken out of service</source>
        <translation>Đưa ra ngoài vận hành</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Returned to service</source>
        <translation>Đưa trở lại vận hành</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tone silenced</source>
        <translation>Tắt âm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset</source>
        <translation>Đặt lại</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shelve expired</source>
        <translation>Hết hạn tạm gác</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Last hour</source>
        <translation>1 giờ qua</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 24 hours</source>
        <translation>24 giờ qua</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 7 days</source>
        <translation>7 ngày qua</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Everything</source>
        <translation>Tất cả</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From … to …</source>
        <translation>Từ … đến …</translation>
    </message>
</context>
<context>
    <name>AlarmHistoryModel</name>
    <message>
        <location line="+122"/>
        <source>Time</source>
        <translation>Thời điểm</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Event</source>
        <translation>Sự kiện</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Alarm</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State change</source>
        <translation>Chuyển trạng thái</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>Người dùng</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reason / detail</source>
        <translation>Lý do / chi tiết</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>(all alarms)</source>
        <translation>(mọi cảnh báo)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>every priority</source>
        <translation>mọi mức ưu tiên</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>priority {0} and lower</source>
        <translation>ưu tiên {0} trở xuống</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} until {1}</source>
        <translation>{0} đến {1}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>until {0}</source>
        <translation>đến {0}</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Alarm id: {0}</source>
        <translation>Mã cảnh báo: {0}</translation>
    </message>
</context>
<context>
    <name>AlarmHistoryPanel</name>
    <message>
        <location line="+31"/>
        <source>Period</source>
        <extracomment>review: show the whole app as it was at this moment (a row double-clicked, or &quot;Review this moment&quot;)</extracomment>
        <translation>Khoảng thời gian</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>newest {0}</source>
        <translation>{0} mới nhất</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Event</source>
        <translation>Sự kiện</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alarm id, text or reason</source>
        <translation>Mã, nội dung cảnh báo hoặc lý do</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>any user</source>
        <translation>mọi người dùng</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>User</source>
        <translation>Người dùng</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Review this moment</source>
        <translation>Xem lại thời điểm này</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show every panel, the map and the alarms as they were when the selected entry was journaled (double-click does the same)</source>
        <translation>Hiện mọi bảng, bản đồ và các cảnh báo như lúc mục đã chọn được ghi nhật ký (nhấp đúp cũng vậy)</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>The alarm journal is not available</source>
        <translation>Không truy cập được nhật ký cảnh báo</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Reading the alarm journal…</source>
        <translation>Đang đọc nhật ký cảnh báo…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The alarm journal could not be read</source>
        <translation>Không đọc được nhật ký cảnh báo</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No alarm journal in the cache yet</source>
        <translation>Bộ nhớ đệm chưa có nhật ký cảnh báo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Showing the newest {0} of {1} events</source>
        <translation>Đang hiện {0} sự kiện mới nhất trong tổng số {1}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} events</source>
        <translation>{0} sự kiện</translation>
    </message>
</context>
<context>
    <name>AlarmLists</name>
    <message>
        <location filename="../../widgets/alarm_lists.py" line="+33"/>
        <source>active</source>
        <translation>đang hoạt động</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cleared</source>
        <translation>đã hết</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} · not current</source>
        <translation>{0} · dữ liệu cũ</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Alarm id: {0}</source>
        <translation>Mã cảnh báo: {0}</translation>
    </message>
</context>
<context>
    <name>AlarmListsPanel</name>
    <message>
        <location line="+121"/>
        <source>Unshelve (U)</source>
        <translation>Bỏ tạm gác (U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unshelve the selected alarms: an active one is annunciated again</source>
        <translation>Bỏ tạm gác các cảnh báo đã chọn: cảnh báo còn hoạt động sẽ được báo lại</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Return to service (R)</source>
        <translation>Đưa trở lại vận hành (R)</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Return the selected alarms to service (supervisors only)</source>
        <translation>Đưa các cảnh báo đã chọn trở lại vận hành (chỉ trưởng ca)</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Select the shelved alarms to unshelve first</source>
        <translation>Hãy chọn các cảnh báo đang tạm gác cần bỏ tạm gác trước</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Select the alarms to return to service first</source>
        <translation>Hãy chọn các cảnh báo cần đưa trở lại vận hành trước</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Only a supervisor can return alarms to service; signed in: {0}</source>
        <translation>Chỉ trưởng ca mới được đưa cảnh báo trở lại vận hành; người đang đăng nhập: {0}</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Shelved ({0})</source>
        <translation>Đang tạm gác ({0})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Out of service ({0})</source>
        <translation>Ngoài vận hành ({0})</translation>
    </message>
</context>
<context>
    <name>AlarmReasonDialog</name>
    <message>
        <location filename="../../widgets/alarm_summary.py" line="+676"/>
        <source>… and {0} more</source>
        <translation>… và {0} cảnh báo khác</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Required: pick one or type your own</source>
        <translation>Bắt buộc: chọn một lý do hoặc tự nhập</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Until</source>
        <translation>Đến khi</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>A reason is required</source>
        <translation>Cần nhập lý do</translation>
    </message>
</context>
<context>
    <name>AlarmStatusButton</name>
    <message>
        <location line="+600"/>
        <source>Alarms: no data yet</source>
        <translation>Cảnh báo: chưa có dữ liệu</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Alarms: {0} unacknowledged · {1} shelved · {2} out of service</source>
        <translation>Cảnh báo: {0} chưa xác nhận · {1} đang tạm gác · {2} ngoài vận hành</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Click: the alarm summary</source>
        <translation>Nhấp: mở danh sách cảnh báo tổng hợp</translation>
    </message>
</context>
<context>
    <name>AlarmSummaryModel</name>
    <message>
        <location line="-873"/>
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Age</source>
        <translation>Đã qua</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Alarm</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>{0} · not current</source>
        <translation>{0} · dữ liệu cũ</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>{0}   {1} {2} suppressed</source>
        <translation>{0}   {1} {2} bị chặn</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Alarm id: {0}</source>
        <translation>Mã cảnh báo: {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Its source&apos;s data is not current: the condition may have changed since</source>
        <translation>Dữ liệu của nguồn không còn mới: tình trạng có thể đã thay đổi từ đó</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Acknowledged by {0}</source>
        <translation>Đã xác nhận bởi {0}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Suppressed by design while this alarm is active: {0}</source>
        <translation>Bị chặn theo thiết kế khi cảnh báo này đang hoạt động: {0}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{0} alarms suppressed by design under this one (Right: show, Left: hide)</source>
        <translation>{0} cảnh báo bị chặn theo thiết kế dưới cảnh báo này (phím Phải: hiện, phím Trái: ẩn)</translation>
    </message>
</context>
<context>
    <name>AlarmSummaryPanel</name>
    <message>
        <location line="+176"/>
        <source>Silence</source>
        <translation>Tắt âm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mute the alarm tone for a few minutes. Silencing is not acknowledging: the alarms stay unacknowledged.</source>
        <translation>Tắt chuông cảnh báo trong vài phút. Tắt âm không phải là xác nhận: các cảnh báo vẫn chưa được xác nhận.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search alarm text, id or source</source>
        <translation>Tìm theo nội dung, mã hoặc nguồn cảnh báo</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show suppressed</source>
        <translation>Hiện cảnh báo bị chặn</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Acknowledge (A)</source>
        <translation>Xác nhận (A)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shelve… (S)</source>
        <translation>Tạm gác… (S)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Out of service… (O)</source>
        <translation>Ngoài vận hành… (O)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show source (Enter)</source>
        <translation>Xem nguồn (Enter)</translation>
    </message>
    <message>
        <location line="+110"/>
        <source>Nothing to acknowledge in the selection</source>
        <translation>Không có cảnh báo nào cần xác nhận trong phần đã chọn</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Select the alarms to shelve first</source>
        <translation>Hãy chọn các cảnh báo cần tạm gác trước</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shelve</source>
        <translation>Tạm gác</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Shelve the selected alarms ({0}). A shelved alarm is not annunciated until it is unshelved or its time runs out; it then comes back unacknowledged if still active.</source>
        <translation>Tạm gác các cảnh báo đã chọn ({0}). Cảnh báo tạm gác không được báo cho đến khi bỏ tạm gác hoặc hết thời hạn; khi đó nó trở lại ở trạng thái chưa xác nhận nếu vẫn đang hoạt động.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Take the selected alarms ({0}) out of service. They stay out of service, silent and off the summary, until a supervisor returns them.</source>
        <translation>Đưa các cảnh báo đã chọn ({0}) ra ngoài vận hành. Chúng sẽ không kêu và không có trong danh sách tổng hợp cho đến khi trưởng ca đưa trở lại vận hành.</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Select the alarms to take out of service first</source>
        <translation>Hãy chọn các cảnh báo cần đưa ra ngoài vận hành trước</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Out of service</source>
        <translation>Ngoài vận hành</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>This alarm names no source to show</source>
        <translation>Cảnh báo này không có nguồn để hiển thị</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Only a supervisor can take alarms out of service; signed in: {0}</source>
        <translation>Chỉ trưởng ca mới được đưa cảnh báo ra ngoài vận hành; người đang đăng nhập: {0}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Take the selected alarms out of service (supervisors only)</source>
        <translation>Đưa các cảnh báo đã chọn ra ngoài vận hành (chỉ trưởng ca)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Acknowledge the selected alarms (A or Space)</source>
        <translation>Xác nhận các cảnh báo đã chọn (A hoặc phím cách)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shelve the selected alarms with a reason and an expiry (S)</source>
        <translation>Tạm gác các cảnh báo đã chọn, kèm lý do và thời hạn (S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show the alarm&apos;s source on the map and in its panel (Enter, double-click)</source>
        <translation>Xem nguồn của cảnh báo trên bản đồ và trong bảng của nó (Enter, nhấp đúp)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No active alarm</source>
        <translation>Không có cảnh báo đang hoạt động</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No alarm matches the filters ({0} active)</source>
        <translation>Không có cảnh báo nào khớp bộ lọc ({0} đang hoạt động)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Showing {0} of {1} alarms</source>
        <translation>Đang hiện {0}/{1} cảnh báo</translation>
    </message>
</context>
<context>
    <name>AlarmViews</name>
    <message>
        <location line="-948"/>
        <source>Critical</source>
        <translation>Nghiêm trọng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>High</source>
        <translation>Cao</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Medium</source>
        <translation>Trung bình</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Low</source>
        <translation>Thấp</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Unacknowledged</source>
        <translation>Chưa xác nhận</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Acknowledged</source>
        <translation>Đã xác nhận</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cleared, unacknowledged</source>
        <translation>Đã hết, chưa xác nhận</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Latched</source>
        <translation>Đã chốt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suppressed by design</source>
        <translation>Bị chặn theo thiết kế</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shelved</source>
        <translation>Đang tạm gác</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+14"/>
        <source>Out of service</source>
        <translation>Ngoài vận hành</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>Normal</source>
        <translation>Bình thường</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Acknowledge</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shelve</source>
        <translation>Tạm gác</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unshelve</source>
        <translation>Bỏ tạm gác</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Return to service</source>
        <translation>Đưa trở lại vận hành</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset</source>
        <translation>Đặt lại</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Silence</source>
        <translation>Tắt âm</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{0} · {1}</source>
        <translation>{0} · {1}</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Actions shared with every console</source>
        <translation>Thao tác được chia sẻ với mọi bàn điều khiển</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Actions stay on this console: the backend does not relay them</source>
        <translation>Thao tác chỉ có hiệu lực trên bàn điều khiển này: máy chủ không chuyển tiếp chúng</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Offline: actions queued</source>
        <translation>Mất kết nối: thao tác đang xếp hàng chờ gửi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Actions stay on this console (not shared with other consoles)</source>
        <translation>Thao tác chỉ có hiệu lực trên bàn điều khiển này (không chia sẻ với bàn điều khiển khác)</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+941"/>
        <source>No alarm data yet</source>
        <translation>Chưa có dữ liệu cảnh báo</translation>
    </message>
    <message>
        <location line="-939"/>
        <source>{0} unacknowledged</source>
        <translation>{0} chưa xác nhận</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+941"/>
        <source>{0} active</source>
        <translation>{0} đang hoạt động</translation>
    </message>
    <message>
        <location line="-938"/>
        <source>{0} suppressed</source>
        <translation>{0} bị chặn</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+939"/>
        <source>{0} shelved</source>
        <translation>{0} đang tạm gác</translation>
    </message>
    <message>
        <location line="-938"/>
        <location line="+940"/>
        <source>{0} out of service</source>
        <translation>{0} ngoài vận hành</translation>
    </message>
    <message>
        <location line="-919"/>
        <source>nobody signed in</source>
        <translation>chưa có ai đăng nhập</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no role</source>
        <translation>không có vai trò</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>the alarms are not running</source>
        <translation>hệ thống cảnh báo chưa chạy</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>{0}: done for {1} of {1} alarms</source>
        <translation>{0}: đã thực hiện cho {1}/{1} cảnh báo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} failed for {1} of {2} alarms: {3}</source>
        <translation>{0} không thành công cho {1}/{2} cảnh báo: {3}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>the alarm is no longer known</source>
        <translation>cảnh báo này không còn tồn tại</translation>
    </message>
    <message>
        <location line="+383"/>
        <source>15 minutes</source>
        <translation>15 phút</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 hour</source>
        <translation>1 giờ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>4 hours</source>
        <translation>4 giờ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>8 hours (end of shift)</source>
        <translation>8 giờ (hết ca trực)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Maintenance on the source</source>
        <translation>Đang bảo trì nguồn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Known problem, being handled</source>
        <translation>Sự cố đã biết, đang xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nuisance alarm (chattering or false)</source>
        <translation>Cảnh báo gây nhiễu (chập chờn hoặc sai)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sensor or feed fault</source>
        <translation>Lỗi cảm biến hoặc luồng dữ liệu</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Device removed or under repair</source>
        <translation>Thiết bị đã tháo hoặc đang sửa chữa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sensor being replaced or calibrated</source>
        <translation>Cảm biến đang được thay thế hoặc hiệu chuẩn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alarm rule under review</source>
        <translation>Quy tắc cảnh báo đang được xem xét lại</translation>
    </message>
    <message>
        <location line="+427"/>
        <source>NEW</source>
        <extracomment>The state words of the wall&apos;s summary: short (a wall row is wide text), each one a word, not only a colour.</extracomment>
        <translation>MỚI</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>acked</source>
        <translation>đã nhận</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cleared</source>
        <translation>đã hết</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>latched</source>
        <translation>đã chốt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>suppressed</source>
        <translation>bị chặn</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{0} new</source>
        <translation>{0} mới</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>P</source>
        <translation>ƯT</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alarm</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Age</source>
        <translation>Đã qua</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{0}?</source>
        <translation>{0}?</translation>
    </message>
</context>
<context>
    <name>AnnunciatorPlayer</name>
    <message>
        <location filename="../../widgets/annunciator_player.py" line="+300"/>
        <source>Sound off</source>
        <translation>Đã tắt âm thanh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alarm tones are turned off on this console (review mode).</source>
        <translation>Chuông cảnh báo đã tắt trên bàn điều khiển này (chế độ xem lại).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sound unavailable</source>
        <translation>Không phát được âm thanh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alarm tones cannot be played on this computer; watch the screen. Technical details: {0}</source>
        <translation>Máy tính này không phát được chuông cảnh báo; hãy theo dõi màn hình. Chi tiết kỹ thuật: {0}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Silenced until {0}</source>
        <translation>Đã tắt âm đến {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Every alarm tone is muted; the alarms stay unacknowledged. Silenced by {0}.</source>
        <translation>Mọi chuông cảnh báo đang tắt; các cảnh báo vẫn chưa được xác nhận. Người tắt: {0}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tones of priority {0} and lower are muted; the alarms stay unacknowledged. Silenced by {1}.</source>
        <translation>Chuông của ưu tiên {0} trở xuống đang tắt; các cảnh báo vẫn chưa được xác nhận. Người tắt: {1}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sounding: priority {0}</source>
        <translation>Đang đổ chuông: ưu tiên {0}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sound on</source>
        <translation>Âm thanh bật</translation>
    </message>
</context>
<context>
    <name>AqiBand</name>
    <message>
        <location filename="../../widgets/theme.py" line="+58"/>
        <source>Good</source>
        <translation>Tốt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Moderate</source>
        <translation>Trung bình</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Poor</source>
        <translation>Kém</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bad</source>
        <translation>Xấu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Very bad</source>
        <translation>Rất xấu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hazardous</source>
        <translation>Nguy hại</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <location filename="../../plugins/reports/triage.py" line="+299"/>
        <source>Assign {0} report(s) to…</source>
        <translation>Chuyển xử lý {0} phản ánh cho…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>&amp;Agency</source>
        <translation>Đơn &amp;vị xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Deadline</source>
        <translation>&amp;Thời hạn</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <location filename="../../ioc_desktop/cli_messages.py" line="+59"/>
        <source>{option} {value}: not a feed address; use wss://HOST/feed (or ws:// on this computer)</source>
        <translation>{option} {value}: không phải địa chỉ luồng dữ liệu; hãy dùng wss://MÁY-CHỦ/feed (hoặc ws:// trên chính máy này)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {value}: plain ws:// is allowed only to this computer (loopback: 127.0.0.1, localhost); use wss://</source>
        <translation>{option} {value}: ws:// không mã hoá chỉ được phép tới chính máy này (loopback: 127.0.0.1, localhost); hãy dùng wss://</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {value}: not a tile address; use {example}</source>
        <translation>{option} {value}: không phải địa chỉ máy chủ bản đồ nền; hãy dùng {example}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {value}: not a media origin; use http(s)://HOST[:PORT]</source>
        <translation>{option} {value}: không phải nguồn ảnh hợp lệ; hãy dùng http(s)://MÁY-CHỦ[:CỔNG]</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option}: the token is empty or contains characters a token can&apos;t have (spaces, control or non-ASCII characters)</source>
        <translation>{option}: mã truy cập trống hoặc chứa ký tự không hợp lệ (dấu cách, ký tự điều khiển hoặc ngoài ASCII)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {value}: no such language; available: {languages}</source>
        <translation>{option} {value}: không có ngôn ngữ này; hiện có: {languages}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {value}: must be a date and time like 2026-10-14T02:40 (Huế time unless it has an offset) or epoch seconds</source>
        <translation>{option} {value}: phải là ngày giờ dạng 2026-10-14T02:40 (giờ Huế nếu không ghi múi giờ) hoặc số giây epoch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {value}: must be a number of seconds greater than 0 (at most {max})</source>
        <translation>{option} {value}: phải là số giây lớn hơn 0 (tối đa {max})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {value}: must be a number from {min} to {max}</source>
        <translation>{option} {value}: phải là một số từ {min} đến {max}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {value}: must be a whole number from {min} to {max}</source>
        <translation>{option} {value}: phải là số nguyên từ {min} đến {max}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: the file name must end in {suffixes}</source>
        <translation>{option} {path}: tên tệp phải có đuôi {suffixes}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{option} {path}: is a directory; name a file in it, e.g. {example}</source>
        <translation>{option} {path}: là một thư mục; hãy chỉ định một tệp trong đó, ví dụ {example}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: not a regular file</source>
        <translation>{option} {path}: không phải tệp thông thường</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: not a usable file name</source>
        <translation>{option} {path}: tên tệp không dùng được</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: {parent} is a file, not a directory</source>
        <translation>{option} {path}: {parent} là một tệp, không phải thư mục</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: cannot create the directory {directory}: {reason}</source>
        <translation>{option} {path}: không tạo được thư mục {directory}: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: cannot write in the directory {directory}: {reason}</source>
        <translation>{option} {path}: không ghi được vào thư mục {directory}: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: cannot open the file for writing: {reason}</source>
        <translation>{option} {path}: không mở được tệp để ghi: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: the cache cannot be opened or written: {reason}</source>
        <translation>{option} {path}: không mở hoặc ghi được bộ nhớ đệm: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: the demo backend&apos;s log cannot be used: {reason}</source>
        <translation>{option} {path}: không dùng được nhật ký của máy chủ demo: {reason}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{option} {path}: the wall configuration cannot be read: {reason}</source>
        <translation>{option} {path}: không đọc được tệp cấu hình màn hình tường: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path}: not a valid TOML file: {reason}</source>
        <translation>{path}: không phải tệp TOML hợp lệ: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path}: {key}: {problem}</source>
        <translation>{path}: {key}: {problem}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: the file exists; add --force to replace it</source>
        <translation>{option} {path}: tệp đã tồn tại; thêm --force để ghi đè</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>wrote {path}: {n} screen(s): {names}; edit it, then start with --wall {path}</source>
        <translation>đã ghi {path}: {n} màn hình: {names}; hãy chỉnh sửa, rồi khởi động với --wall {path}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown key; expected one of: {expected}</source>
        <translation>khóa không hợp lệ; các khóa được phép: {expected}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>missing; it is required</source>
        <translation>thiếu; khóa này là bắt buộc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value}: must be a number from {min} to {max}</source>
        <translation>{value}: phải là một số từ {min} đến {max}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value}: must be a number greater than {min}, at most {max}</source>
        <translation>{value}: phải là một số lớn hơn {min} và không quá {max}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value}: must be a whole number from {min} to {max}</source>
        <translation>{value}: phải là số nguyên từ {min} đến {max}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value}: must be a text</source>
        <translation>{value}: phải là một chuỗi văn bản</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value}: must be a list of texts</source>
        <translation>{value}: phải là một danh sách các chuỗi văn bản</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>must be a table ({example})</source>
        <translation>phải là một bảng ({example})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>must be a list of tables ({example})</source>
        <translation>phải là một danh sách các bảng ({example})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>must not be empty</source>
        <translation>không được để trống</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value}: no such panel kind; kinds: {kinds}</source>
        <translation>{value}: không có loại bảng này; các loại: {kinds}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value}: must be [latitude, longitude] in degrees</source>
        <translation>{value}: phải là [vĩ độ, kinh độ] tính bằng độ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the cell does not fit the layout&apos;s {rows} × {cols} grid (rows and columns count from 0)</source>
        <translation>ô không nằm trong lưới {rows} × {cols} của bố cục (hàng và cột đếm từ 0)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the cell overlaps cells[{other}]</source>
        <translation>ô chồng lên cells[{other}]</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>give a cell either panel (one panel) or panels (panels that rotate), not both</source>
        <translation>mỗi ô chỉ dùng panel (một bảng) hoặc panels (các bảng luân phiên), không dùng cả hai</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a cell needs panel (one panel) or panels (panels that rotate)</source>
        <translation>ô cần có panel (một bảng) hoặc panels (các bảng luân phiên)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value}: no such screen; screens: {screens}</source>
        <translation>{value}: không có màn hình này; các màn hình: {screens}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value}: screen {screen} has no such layout; its layouts: {layouts}</source>
        <translation>{value}: màn hình {screen} không có bố cục này; các bố cục của nó: {layouts}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value}: no such preset; presets: {presets}</source>
        <translation>{value}: không có chế độ hiển thị này; các chế độ: {presets}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the preset switches no screen: name a layout for a screen, or give a screen a layout named {value}</source>
        <translation>chế độ hiển thị này không chuyển màn hình nào: hãy chỉ định bố cục cho một màn hình, hoặc đặt cho một màn hình bố cục tên {value}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value}: two screens have this name</source>
        <translation>{value}: có hai màn hình trùng tên này</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{value}: not a key chord, e.g. Ctrl+Alt+Shift+Q (modifiers Ctrl, Alt, Shift, Meta and a key)</source>
        <translation>{value}: không phải tổ hợp phím, ví dụ Ctrl+Alt+Shift+Q (phím bổ trợ Ctrl, Alt, Shift, Meta và một phím)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unknown option or argument: {arguments} (see --help)</source>
        <translation>tùy chọn hoặc tham số không hợp lệ: {arguments} (xem --help)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} needs a value</source>
        <translation>{option} cần một giá trị</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{options} is required</source>
        <translation>thiếu {options} (bắt buộc)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown command {value}; commands: {choices}</source>
        <translation>không có lệnh {value}; các lệnh: {choices}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} is ambiguous: it could be {matches}</source>
        <translation>{option} không rõ ràng: có thể là {matches}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bad command line: {message}</source>
        <translation>dòng lệnh không hợp lệ: {message}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unexpected error: {error} (run with -v for the details)</source>
        <translation>lỗi không mong đợi: {error} (chạy với -v để xem chi tiết)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>plugin {name} disabled: {error}</source>
        <translation>đã tắt phần mở rộng {name}: {error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot listen on {host}:{port}: {reason}</source>
        <translation>không lắng nghe được trên {host}:{port}: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the cache file {path} was damaged; it was moved aside to {moved} and a new cache started</source>
        <translation>tệp bộ nhớ đệm {path} bị hỏng; tệp đã được chuyển sang {moved} và một bộ nhớ đệm mới đã được tạo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the backend started a new event log; the previous cache is kept at {path}</source>
        <translation>máy chủ đã bắt đầu nhật ký sự kiện mới; bộ nhớ đệm trước đó được giữ lại tại {path}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not authorised by {server}: check --token (or IOC_TOKEN)</source>
        <translation>{server} không cho phép truy cập: hãy kiểm tra --token (hoặc IOC_TOKEN)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>never connected to {server}: {reason}</source>
        <translation>không kết nối được tới {server}: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no answer within {seconds} s</source>
        <translation>không có phản hồi trong {seconds} giây</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>delivered 1 queued action</source>
        <translation>đã gửi 1 thao tác đang chờ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>delivered {n} queued actions</source>
        <translation>đã gửi {n} thao tác đang chờ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>({n} refused: {reasons})</source>
        <translation>({n} bị từ chối: {reasons})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} queued action(s) not acknowledged yet: they stay queued for the next connection</source>
        <translation>{n} thao tác chưa được máy chủ xác nhận: vẫn nằm trong hàng đợi cho lần kết nối sau</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>cannot reach {host}:{port}</source>
        <extracomment>FeedState.reason codes (ioc_desktop.feed.client.Reason values) worded for a line; their args come from FeedState.reason_args. Others: the state&apos;s technical detail.</extracomment>
        <translation>không liên lạc được với {host}:{port}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server answered HTTP {code} instead of opening the feed</source>
        <translation>máy chủ trả lời HTTP {code} thay vì mở luồng dữ liệu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server closed the connection (code {code})</source>
        <translation>máy chủ đã đóng kết nối (mã {code})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server closed the connection</source>
        <translation>máy chủ đã đóng kết nối</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the connection was lost</source>
        <translation>mất kết nối</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server does not follow the feed protocol</source>
        <translation>máy chủ không tuân theo giao thức luồng dữ liệu</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+1"/>
        <source>permission denied</source>
        <extracomment>OSError reasons worded in the user&apos;s language (others: the system&apos;s own text).</extracomment>
        <translation>không có quyền truy cập</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>read-only file system</source>
        <translation>hệ thống tệp chỉ đọc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no space left on the device</source>
        <translation>thiết bị hết dung lượng trống</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no such file or directory</source>
        <translation>không có tệp hoặc thư mục này</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a part of the path is a file, not a directory</source>
        <translation>một phần của đường dẫn là tệp, không phải thư mục</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>is a directory</source>
        <translation>là một thư mục</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the address is already in use</source>
        <translation>địa chỉ đang được dùng</translation>
    </message>
    <message>
        <location filename="../../ioc_desktop/alarms/cli.py" line="+51"/>
        <source>no alarm journal in {path}: the cache has no alarm_events table (alarms were never recorded in it)</source>
        <translation>không có nhật ký cảnh báo trong {path}: bộ nhớ đệm không có bảng alarm_events (chưa từng có cảnh báo nào được ghi vào đó)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: the cache cannot be read: {reason}</source>
        <translation>{option} {path}: không đọc được bộ nhớ đệm: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not an SQLite database, or a damaged one</source>
        <translation>không phải cơ sở dữ liệu SQLite, hoặc cơ sở dữ liệu đã bị hỏng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {value}: not a time; use RFC 3339 with a time zone (2025-10-27T08:00:00+07:00) or epoch seconds</source>
        <translation>{option} {value}: không phải thời điểm hợp lệ; hãy dùng RFC 3339 có múi giờ (2025-10-27T08:00:00+07:00) hoặc số giây epoch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>--since {since} is not before --until {until}: the period is empty</source>
        <translation>--since {since} không sớm hơn --until {until}: khoảng thời gian rỗng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{id}: no such alarm in {path} (ioc-desktop alarms list --cache {path} lists them)</source>
        <translation>{id}: không có cảnh báo này trong {path} (xem danh sách bằng ioc-desktop alarms list --cache {path})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>alarms {command}: only a supervisor may do this (--role supervisor); the roles given: {roles}</source>
        <translation>alarms {command}: chỉ người giám sát được làm việc này (--role supervisor); vai trò đã cho: {roles}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>alarms {command}: needs the role operator or supervisor (--role); the roles given: {roles}</source>
        <translation>alarms {command}: cần vai trò operator (trực ban) hoặc supervisor (giám sát) (--role); vai trò đã cho: {roles}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>alarms {command} needs --reason (why)</source>
        <translation>alarms {command} cần --reason (lý do)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>alarms {command} needs --until (when the shelve ends)</source>
        <translation>alarms {command} cần --until (thời điểm hết tạm gác)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>--until {value}: must be in the future</source>
        <translation>--until {value}: phải là một thời điểm trong tương lai</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>--reason: at most {max} characters, without control characters</source>
        <translation>--reason: tối đa {max} ký tự, không có ký tự điều khiển</translation>
    </message>
    <message>
        <location filename="../../ioc_desktop/tiles/cli.py" line="+36"/>
        <source>{option} {value}: not a bounding box; use WEST,SOUTH,EAST,NORTH in degrees, west &lt; east and south &lt; north (e.g. 107.4,16.2,107.9,16.8)</source>
        <translation>{option} {value}: không phải khung bao hợp lệ; hãy dùng TÂY,NAM,ĐÔNG,BẮC theo độ, tây &lt; đông và nam &lt; bắc (ví dụ 107.4,16.2,107.9,16.8)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {value}: not a zoom range; use MIN-MAX (e.g. 8-15) or one zoom level, from 0 to {max}</source>
        <translation>{option} {value}: không phải dải mức thu phóng hợp lệ; hãy dùng NHỎ-LỚN (ví dụ 8-15) hoặc một mức thu phóng, từ 0 đến {max}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {value}: zoom {zoom} is deeper than {max}; tile servers&apos; usage policies don&apos;t allow seeding that deep</source>
        <translation>{option} {value}: mức thu phóng {zoom} vượt quá {max}; chính sách sử dụng của các máy chủ ô bản đồ không cho phép tải trước sâu đến vậy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} tiles is more than {max} for one seed; narrow --bbox or --zoom</source>
        <translation>{count} ô bản đồ là quá {max} cho một lần tải trước; hãy thu hẹp --bbox hoặc --zoom</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{host}: OpenStreetMap&apos;s tile usage policy forbids bulk downloading (seeding) from its servers ({policy}); use a tile server of your own, or one whose terms allow offline use</source>
        <translation>{host}: chính sách sử dụng ô bản đồ của OpenStreetMap cấm tải hàng loạt (tải trước) từ các máy chủ của họ ({policy}); hãy dùng máy chủ ô bản đồ của riêng bạn, hoặc máy chủ có điều khoản cho phép dùng ngoại tuyến</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {value}: not a contact; give an e-mail address or a URL, in plain ASCII</source>
        <translation>{option} {value}: không phải thông tin liên hệ hợp lệ; hãy ghi địa chỉ e-mail hoặc URL, chỉ dùng ký tự ASCII</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>warning: no --contact (or IOC_TILES_CONTACT): {host} can&apos;t tell whom to contact about these requests; add your e-mail address or URL</source>
        <translation>cảnh báo: không có --contact (hoặc IOC_TILES_CONTACT): {host} không biết liên hệ với ai về các yêu cầu này; hãy thêm địa chỉ e-mail hoặc URL của bạn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{option} {path}: not a usable MBTiles file: {reason}</source>
        <translation>{option} {path}: không phải tệp MBTiles dùng được: {reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>warning: {path} is not a usable MBTiles file ({reason}); the map shows its basemap only</source>
        <translation>cảnh báo: {path} không phải tệp MBTiles dùng được ({reason}); bản đồ chỉ hiển thị bản đồ nền</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no such file</source>
        <translation>không có tệp này</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{total} tiles of zoom {zooms} from {host} into {path}: {already} already there, {todo} to fetch at {rate} tiles/s (about {eta})</source>
        <translation>{total} ô bản đồ ở mức thu phóng {zooms} từ {host} vào {path}: {already} ô đã có, {todo} ô cần tải với tốc độ {rate} ô/giây (khoảng {eta})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tiles: {done}/{total} ({percent} %): {fetched} fetched, {already} already there, {missing} missing, {failed} failed</source>
        <translation>ô bản đồ: {done}/{total} ({percent} %): đã tải {fetched}, đã có sẵn {already}, thiếu {missing}, lỗi {failed}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{host} asks to wait {seconds} s (HTTP {status}); slowing down to {rate} tiles/s</source>
        <translation>{host} yêu cầu chờ {seconds} giây (HTTP {status}); giảm tốc độ xuống {rate} ô/giây</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>done: {fetched} tiles fetched ({size}), {already} already there, {missing} missing on the server, {failed} failed; {path} holds {tiles} tiles</source>
        <translation>xong: đã tải {fetched} ô ({size}), {already} ô đã có sẵn, {missing} ô máy chủ không có, {failed} ô lỗi; {path} hiện chứa {tiles} ô</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed tiles (the first ones): {failures}</source>
        <translation>các ô bị lỗi (những ô đầu tiên): {failures}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>interrupted: {fetched} tiles fetched are kept in {path}; run the same command again to resume</source>
        <translation>đã ngắt: {fetched} ô đã tải được giữ trong {path}; chạy lại đúng lệnh này để tải tiếp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot reach {host}: {reason}; the {fetched} tiles fetched are kept in {path} (run again to resume)</source>
        <translation>không kết nối được tới {host}: {reason}; {fetched} ô đã tải được giữ trong {path} (chạy lại để tải tiếp)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{host} refused the tiles (HTTP {status}); stopped; the {fetched} tiles fetched are kept in {path}</source>
        <translation>{host} từ chối cung cấp ô bản đồ (HTTP {status}); đã dừng; {fetched} ô đã tải được giữ trong {path}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{host} asks to wait {seconds} s (HTTP {status}); stopped; the {fetched} tiles fetched are kept in {path}: run again later to resume</source>
        <translation>{host} yêu cầu chờ {seconds} giây (HTTP {status}); đã dừng; {fetched} ô đã tải được giữ trong {path}: hãy chạy lại sau để tải tiếp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path}: {size}, {tiles} tiles</source>
        <translation>{path}: {size}, {tiles} ô</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>metadata:</source>
        <translation>siêu dữ liệu:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tiles per zoom level:</source>
        <translation>số ô theo mức thu phóng:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>zoom {zoom}: {tiles} tiles</source>
        <translation>mức {zoom}: {tiles} ô</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the tiles of zoom {zoom} cover {bounds} (west, south, east, north)</source>
        <translation>các ô ở mức thu phóng {zoom} phủ {bounds} (tây, nam, đông, bắc)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no tiles yet</source>
        <translation>chưa có ô nào</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>its tiles are a view (a deduplicated file): this program reads it but never adds to it</source>
        <translation>bảng ô của tệp là một view (tệp đã khử trùng lặp): chương trình này chỉ đọc, không bao giờ ghi thêm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} s</source>
        <translation>{n} giây</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} min</source>
        <translation>{n} phút</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{h} h {m} min</source>
        <translation>{h} giờ {m} phút</translation>
    </message>
    <message>
        <location filename="../../ioc_desktop/config.py" line="+70"/>
        <source>{option} {value}: must be a number of days greater than 0 (at most {max})</source>
        <extracomment>--run-for&apos;s upper bound: Qt&apos;s timers take at most 2**31 ms (24.8 days).</extracomment>
        <translation>{option} {value}: phải là số ngày lớn hơn 0 (tối đa {max})</translation>
    </message>
    <message>
        <location filename="../../ioc_desktop/store/cli.py" line="+33"/>
        <source>{option} {path}: not a cache of this program (it has no events table)</source>
        <translation>{option} {path}: không phải bộ nhớ đệm của chương trình này (không có bảng events)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{path}: {size} (write-ahead log {wal}), schema version {schema}</source>
        <translation>{path}: {size} (nhật ký ghi trước {wal}), phiên bản lược đồ {schema}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pages: {pages} of {page_size}, {free} free (reused before the file grows); auto-vacuum: {vacuum}</source>
        <translation>trang: {pages} trang {page_size}, {free} còn trống (được dùng lại trước khi tệp lớn thêm); tự dọn (auto-vacuum): {vacuum}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>history (Huế time, UTC+7): from {first} to {last}, {days} days</source>
        <translation>lịch sử (giờ Huế, UTC+7): từ {first} đến {last}, {days} ngày</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>older events were folded into a checkpoint (retention): review starts at {first}</source>
        <translation>các sự kiện cũ hơn đã được gộp vào một điểm lưu trạng thái (giới hạn lưu giữ): xem lại bắt đầu từ {first}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>history: no events yet</source>
        <translation>lịch sử: chưa có sự kiện nào</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>events: {events}, {size} (the log and its index), {per_event} per event</source>
        <translation>sự kiện: {events}, {size} (nhật ký và chỉ mục của nó), {per_event} mỗi sự kiện</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>events per day (received, Huế time):</source>
        <translation>sự kiện theo ngày (ngày nhận, giờ Huế):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{day}  {events} events  {size}</source>
        <translation>{day}  {events} sự kiện  {size}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no time</source>
        <translation>không có thời điểm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>checkpoints: {count}, {size}, from {first} to {last}</source>
        <translation>điểm lưu trạng thái: {count}, {size}, từ {first} đến {last}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>checkpoints: none yet</source>
        <translation>điểm lưu trạng thái: chưa có</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rejected frames: {n}</source>
        <translation>khung dữ liệu bị từ chối: {n}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>state tables:</source>
        <translation>bảng trạng thái:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>other tables:</source>
        <translation>các bảng khác:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name}  {rows} rows  {size}</source>
        <translation>{name}  {rows} dòng  {size}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sizes are estimated from the rows&apos; bytes (this SQLite has no dbstat table)</source>
        <translation>kích thước được ước tính từ số byte của các dòng (SQLite này không có bảng dbstat)</translation>
    </message>
</context>
<context>
    <name>CyberPanel</name>
    <message>
        <location filename="../../plugins/cyber/gui.py" line="+63"/>
        <source>Open events only</source>
        <translation>Chỉ sự cố đang mở</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Detected</source>
        <translation>Phát hiện lúc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Target system</source>
        <translation>Hệ thống bị tấn công</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Category</source>
        <translation>Loại sự cố</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source address</source>
        <translation>Địa chỉ nguồn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seen</source>
        <translation>Số lần</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Description</source>
        <translation>Nội dung</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../plugins/reports/triage.py" line="+34"/>
        <source>Export for agency</source>
        <translation>Xuất cho đơn vị xử lý</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Agency</source>
        <translation>Đơn &amp;vị xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Format</source>
        <translation>Định &amp;dạng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The reporter&apos;s identity is never exported.</source>
        <translation>Danh tính người phản ánh không bao giờ được xuất ra.</translation>
    </message>
</context>
<context>
    <name>FeedStatusBar</name>
    <message>
        <location filename="../../widgets/feed_status.py" line="+26"/>
        <source>the feed connection</source>
        <translation>kết nối luồng dữ liệu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the cache writer</source>
        <translation>bộ ghi bộ nhớ đệm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the cache reader</source>
        <translation>bộ đọc bộ nhớ đệm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the image downloader</source>
        <translation>bộ tải ảnh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the alarm engine</source>
        <translation>bộ xử lý cảnh báo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the feed service</source>
        <translation>dịch vụ luồng dữ liệu</translation>
    </message>
    <message>
        <location line="+197"/>
        <source>CONNECTING</source>
        <translation>ĐANG KẾT NỐI</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LIVE</source>
        <translation>TRỰC TUYẾN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>RECONNECTING</source>
        <translation>ĐANG KẾT NỐI LẠI</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NOT AUTHORISED</source>
        <translation>KHÔNG ĐƯỢC PHÉP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OFFLINE</source>
        <translation>NGOẠI TUYẾN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>FAILED</source>
        <translation>LỖI</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>REVIEW · OFFLINE</source>
        <translation>XEM LẠI · NGOẠI TUYẾN</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>(retry {0:.0f}s)</source>
        <translation>(thử lại sau {0:.0f} giây)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>the server closed the connection (code {code})</source>
        <translation>máy chủ đã đóng kết nối (mã {code})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the connection was lost</source>
        <translation>mất kết nối</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot reach {host}:{port}</source>
        <translation>không kết nối được tới {host}:{port}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server answered HTTP {code} instead of the feed</source>
        <translation>máy chủ trả về HTTP {code} thay vì luồng dữ liệu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not authorised (HTTP {code}): the server refused the token</source>
        <translation>không được phép (HTTP {code}): máy chủ từ chối mã truy cập</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a frame larger than {limit} bytes was refused</source>
        <translation>đã từ chối một gói dữ liệu lớn hơn {limit} byte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the server broke the feed protocol</source>
        <translation>máy chủ vi phạm giao thức luồng dữ liệu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>an internal error in this app; the feed goes on</source>
        <translation>lỗi nội bộ của ứng dụng; luồng dữ liệu vẫn tiếp tục</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{worker} stopped; restarting</source>
        <translation>{worker} đã dừng; đang khởi động lại</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the cache {path} cannot be used</source>
        <translation>không dùng được bộ nhớ đệm {path}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>đã dừng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>review mode: showing the cache, not connected</source>
        <translation>chế độ xem lại: hiển thị bộ nhớ đệm, không kết nối</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>stopped by an error</source>
        <translation>đã dừng do lỗi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the server refused the token</source>
        <translation>máy chủ từ chối mã truy cập</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Enter token…</source>
        <translation>Nhập mã truy cập…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The backend refused the access token: enter another one</source>
        <translation>Máy chủ đã từ chối mã truy cập: hãy nhập mã khác</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Technical details:</source>
        <translation>Chi tiết kỹ thuật:</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Rejected frames: {0}</source>
        <translation>Gói dữ liệu bị loại: {0}</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>{0}/{1} feeds fresh</source>
        <translation>{0}/{1} luồng dữ liệu cập nhật</translation>
    </message>
    <message>
        <source>Rejected: {0}</source>
        <translation type="vanished">Bị loại: {0}</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <location filename="../../widgets/filter_bar.py" line="+88"/>
        <source>Clear</source>
        <translation>Bỏ chọn</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>any</source>
        <translation>tất cả</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{0} selected</source>
        <translation>đã chọn {0}</translation>
    </message>
</context>
<context>
    <name>HelpOverlay</name>
    <message>
        <location filename="../../plugins/reports/gui.py" line="+114"/>
        <source>Keys of the queue</source>
        <translation>Phím tắt của danh sách phản ánh</translation>
    </message>
</context>
<context>
    <name>KpiTile</name>
    <message numerus="yes">
        <location filename="../../widgets/kpi_tile.py" line="+202"/>
        <source>%n item(s) need attention</source>
        <extracomment>The big figure on the wall: this many times the minimum, as room allows.</extracomment>
        <translation>
            <numerusform>%n mục cần xử lý</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LevelGraphs</name>
    <message>
        <location filename="../../plugins/environment/gui.py" line="+146"/>
        <source>Waiting for water levels…</source>
        <translation>Đang chờ số liệu mực nước…</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Water level — {0}</source>
        <translation>Mực nước — {0}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../widgets/main_window.py" line="+161"/>
        <source>Huế IOC — Operations Center</source>
        <extracomment>Set (to anything) by bench/cold_start.py: print ``IOC_FIRST_LIVE_FRAME &lt;time&gt;`` once the map page is ready and the first committed batch has been handed to the panels and painted, then quit. After each refresh of the freshness (once a second, at each link change): (now, topic -&gt; (stale, time of its newest data), the services&apos; statuses). The video wall marks its panels and fills its overview from the same figures.</extracomment>
        <translation>IOC Huế — Trung tâm Giám sát, điều hành</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Alarms</source>
        <translation>Thanh cảnh báo</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Review</source>
        <translation>Xem lại</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>&amp;View</source>
        <translation>&amp;Xem</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Services overview</source>
        <translation>Tổng quan các dịch vụ</translation>
    </message>
    <message>
        <source>Cache or feed failed: {0}</source>
        <translation type="vanished">Lỗi bộ nhớ đệm hoặc luồng dữ liệu: {0}</translation>
    </message>
    <message>
        <location line="+223"/>
        <source>The backend&apos;s event log changed; the previous cache is kept at {0}</source>
        <translation>Nhật ký sự kiện của máy chủ đã thay đổi; bộ nhớ đệm trước đó được giữ lại tại {0}</translation>
    </message>
    <message>
        <source>Plugin {0} disabled: {1}</source>
        <translation type="vanished">Đã tắt phân hệ {0}: {1}</translation>
    </message>
    <message>
        <location line="-93"/>
        <source>&amp;Wall</source>
        <translation>&amp;Màn hình tường</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Preset: {0}</source>
        <translation>Chế độ hiển thị: {0}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Lock the layout (no automatic switching)</source>
        <translation>Khóa bố cục (không tự động chuyển)</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+15"/>
        <source>Close the wall</source>
        <translation>Đóng màn hình tường</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the wall</source>
        <translation>Mở màn hình tường</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The {0} service is disabled: its plugin failed; the other services go on.</source>
        <translation>Dịch vụ {0} đã bị tắt: phân hệ của nó bị lỗi; các dịch vụ khác vẫn hoạt động.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>technical details: {0}</source>
        <translation>chi tiết kỹ thuật: {0}</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+6"/>
        <source>The cache file was damaged; it was moved aside to {0} and a new cache started</source>
        <translation>Tệp bộ nhớ đệm bị hỏng; tệp đã được chuyển sang {0} và một bộ nhớ đệm mới đã được tạo</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The cache or the feed could not start: nothing new will arrive; what is shown may be old.</source>
        <translation>Không khởi động được bộ nhớ đệm hoặc luồng dữ liệu: sẽ không có dữ liệu mới; những gì đang hiển thị có thể đã cũ.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>an unexpected error</source>
        <translation>một lỗi không lường trước</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{worker} stopped at {time}: {reason}; restarting</source>
        <translation>{worker} đã dừng lúc {time}: {reason}; đang khởi động lại</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{worker} restarted at {time}</source>
        <translation>{worker} đã khởi động lại lúc {time}</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>The {0} panels failed to update; they show older data.</source>
        <translation>Các bảng của {0} không cập nhật được; đang hiển thị dữ liệu cũ hơn.</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Access token</source>
        <translation>Mã truy cập</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The backend refused the access token. Enter another one:</source>
        <translation>Máy chủ đã từ chối mã truy cập. Nhập mã khác:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connect</source>
        <translation>Kết nối</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>REVIEW, not live</source>
        <translation>XEM LẠI, không trực tuyến</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+23"/>
        <source>NOT CURRENT</source>
        <translation>DỮ LIỆU CŨ</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>{0} · no data received</source>
        <translation>{0} · chưa nhận được dữ liệu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} · data from {1}</source>
        <translation>{0} · cập nhật lần cuối {1}</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>{0} · this panel stopped updating at {1}</source>
        <translation>{0} · bảng này ngừng cập nhật lúc {1}</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Greyed layers are not current: {0}</source>
        <translation>Các lớp tô xám không còn cập nhật: {0}</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+326"/>
        <source>{0} (not current)</source>
        <translation>{0} (dữ liệu cũ)</translation>
    </message>
    <message>
        <location line="-234"/>
        <source>REVIEW · {0} · not live</source>
        <translation>XEM LẠI · {0} · không trực tiếp</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+5"/>
        <source>{0} (review)</source>
        <translation>{0} (xem lại)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>in review: nothing can be dispatched from a past moment; back to live first (F12)</source>
        <translation>đang xem lại: không thể điều phối từ một thời điểm đã qua; hãy trở về trực tiếp trước (F12)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The cache holds no events yet: there is nothing to review</source>
        <translation>Bộ đệm chưa có sự kiện nào: chưa có gì để xem lại</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The cache holds {0} to {1}: {2} is outside it, the review shows {3}</source>
        <translation>Bộ đệm có dữ liệu từ {0} đến {1}: {2} nằm ngoài khoảng đó, đang xem lại {3}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>In review, these services could not be rebuilt at {0}: {1}</source>
        <translation>Khi xem lại, không dựng lại được các dịch vụ này tại {0}: {1}</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Time bar</source>
        <translation>Thanh thời gian</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Review</source>
        <translation>&amp;Xem lại</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Back to live</source>
        <translation>Trở về trực tiếp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Play or pause</source>
        <translation>Phát hoặc tạm dừng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A minute back</source>
        <translation>Lùi một phút</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A minute forward</source>
        <translation>Tiến một phút</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The previous event</source>
        <translation>Sự kiện trước</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The next event</source>
        <translation>Sự kiện sau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export this moment…</source>
        <translation>Xuất thời điểm này…</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Export works in review: pick a moment on the time bar first</source>
        <translation>Chỉ xuất được khi xem lại: hãy chọn một thời điểm trên thanh thời gian trước</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save this moment in…</source>
        <translation>Lưu thời điểm này vào…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Part of the moment could not be saved in {0}</source>
        <translation>Một phần của thời điểm không lưu được vào {0}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Saved {0} files of the moment {1} in {2}</source>
        <translation>Đã lưu {0} tệp của thời điểm {1} vào {2}</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Alarm summary</source>
        <translation>Danh sách cảnh báo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shelved and out of service</source>
        <translation>Tạm gác và ngoài vận hành</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alarm history</source>
        <translation>Lịch sử cảnh báo</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Alarm system health</source>
        <translation>Tình trạng hệ thống cảnh báo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Alarms</source>
        <translation>&amp;Cảnh báo</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Silence the alarm tone</source>
        <translation>Tắt chuông cảnh báo</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Rejected frames</source>
        <translation>Gói dữ liệu bị loại</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Received</source>
        <translation>Thời điểm nhận</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Topic</source>
        <translation>Chủ đề</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sequence no.</source>
        <translation>Số thứ tự</translation>
    </message>
    <message>
        <source>Seq</source>
        <translation type="vanished">Số thứ tự</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <location filename="../../widgets/map_view.py" line="+200"/>
        <source>{0} markers here: click to zoom in</source>
        <extracomment>JS: every visible text of the page with its capitals&apos; height in device px (canvas measureText of &quot;H&quot; in the element&apos;s computed font × devicePixelRatio). On hovering a counted circle of map markers; {0}: how many markers it stands for.</extracomment>
        <translation>{0} điểm ở đây: bấm để phóng to</translation>
    </message>
</context>
<context>
    <name>MiniMap</name>
    <message>
        <location filename="../../widgets/mini_map.py" line="+147"/>
        <source>no position</source>
        <translation>không có vị trí</translation>
    </message>
</context>
<context>
    <name>OutOfServiceModel</name>
    <message>
        <location filename="../../widgets/alarm_lists.py" line="-197"/>
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Alarm</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Taken out by</source>
        <translation>Người đưa ra</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Since</source>
        <translation>Từ lúc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>For</source>
        <translation>Đã được</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Condition</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <source>Alarm id: {0}</source>
        <translation type="vanished">Mã cảnh báo: {0}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Out of service by {0}: {1}</source>
        <translation>Đưa ra ngoài vận hành bởi {0}: {1}</translation>
    </message>
</context>
<context>
    <name>PressPanel</name>
    <message>
        <location filename="../../plugins/press/gui.py" line="+130"/>
        <source>Items · last hour</source>
        <translation>Số tin · 1 giờ qua</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Negative · last hour</source>
        <translation>Tiêu cực · 1 giờ qua</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Positive · last hour</source>
        <translation>Tích cực · 1 giờ qua</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Published</source>
        <translation>Đăng lúc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sentiment</source>
        <translation>Sắc thái</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Headline</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Interactions</source>
        <translation>Lượt tương tác</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Link</source>
        <translation>Đường dẫn</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Newest items</source>
        <translation>Tin mới nhất</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../plugins/reports/triage.py" line="-124"/>
        <source>Reject {0} report(s)</source>
        <translation>Từ chối {0} phản ánh</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note (optional)</source>
        <translation>Ghi chú (không bắt buộc)</translation>
    </message>
</context>
<context>
    <name>ReportDetails</name>
    <message>
        <location filename="../../plugins/reports/details.py" line="+47"/>
        <source>Report no.</source>
        <extracomment>Known fields in the order shown: (field, label). Others follow under their own name.</extracomment>
        <translation>Mã phản ánh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open311 status</source>
        <translation>Trạng thái Open311</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Process</source>
        <translation>Quy trình</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+266"/>
        <source>Category</source>
        <translation>Lĩnh vực</translation>
    </message>
    <message>
        <location line="-265"/>
        <source>Category code</source>
        <translation>Mã lĩnh vực</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Description</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Commune / ward</source>
        <translation>Phường / xã</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Former district</source>
        <translation>Quận / huyện cũ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Position</source>
        <translation>Vị trí</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Channel</source>
        <translation>Kênh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Received</source>
        <translation>Tiếp nhận lúc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Updated</source>
        <translation>Cập nhật lúc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agency</source>
        <translation>Đơn vị xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agency deadline</source>
        <translation>Hạn xử lý của đơn vị</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status notes</source>
        <translation>Ghi chú trạng thái</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Photo address</source>
        <translation>Đường dẫn ảnh</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>reason: {0}</source>
        <extracomment>Shown elsewhere in the pane (or never: &quot;long&quot; goes with &quot;lat&quot;).</extracomment>
        <translation>lý do: {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>to {0}</source>
        <translation>cho {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>due {0}</source>
        <translation>hạn {0}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>into {0}</source>
        <translation>vào {0}</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Select a report in the queue</source>
        <translation>Chọn một phản ánh trong danh sách</translation>
    </message>
    <message>
        <source>Click: close-up / whole province</source>
        <translation type="vanished">Nhấp: phóng to / toàn thành phố</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Click: close-up / whole city</source>
        <translation>Nhấn: xem gần / toàn thành phố</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>SLA clocks</source>
        <translation>Thời hạn xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Duplicates and merges</source>
        <translation>Phản ánh trùng và gộp trùng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History and actions</source>
        <translation>Lịch sử và thao tác</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Report</source>
        <translation>Phản ánh</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>{0} — no longer in the cache</source>
        <translation>{0} — không còn trong bộ nhớ đệm</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>{0} — not in the cache</source>
        <translation>{0} — không có trong bộ nhớ đệm</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Reporter (confidential)</source>
        <translation>Người phản ánh (bảo mật)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>SLA: {0}</source>
        <translation>Thời hạn: {0}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>SLA: finished</source>
        <translation>Thời hạn: đã kết thúc</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Process: {0}</source>
        <translation>Quy trình: {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>immediate (urgent)</source>
        <translation>xử lý ngay (khẩn)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>timed</source>
        <translation>có thời hạn</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Merged into {0} →</source>
        <translation>Đã gộp vào {0} →</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Duplicate merged in: {0} →</source>
        <translation>Phản ánh trùng đã gộp vào đây: {0} →</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Suggested duplicates (same category, within 50 m, open):</source>
        <translation>Gợi ý phản ánh trùng (cùng lĩnh vực, trong phạm vi 50 m, đang mở):</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} · {1:.0f} m · {2} · {3}</source>
        <translation>{0} · {1:.0f} m · {2} · {3}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Merge into {0} (M)</source>
        <translation>Gộp vào {0} (M)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No duplicate suggested.</source>
        <translation>Không có gợi ý phản ánh trùng.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>No action recorded yet.</source>
        <translation>Chưa có thao tác nào được ghi nhận.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This console&apos;s actions:</source>
        <translation>Thao tác từ máy trạm này:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Dismiss (X)</source>
        <translation>Ẩn (X)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>no photo</source>
        <translation>không có ảnh</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>photo not available here</source>
        <translation>không xem được ảnh tại đây</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>loading photo…</source>
        <translation>đang tải ảnh…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>photo unavailable</source>
        <translation>không tải được ảnh</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>technical details: {0}</source>
        <translation>chi tiết kỹ thuật: {0}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>cached copy from {0}: the backend can&apos;t be reached</source>
        <translation>bản lưu đệm lúc {0}: không kết nối được máy chủ</translation>
    </message>
</context>
<context>
    <name>ReportQueue</name>
    <message>
        <location filename="../../plugins/reports/gui.py" line="+54"/>
        <location line="+23"/>
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <location line="-27"/>
        <location line="+31"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Received</source>
        <translation>Tiếp nhận lúc</translation>
    </message>
    <message>
        <location line="-39"/>
        <location line="+41"/>
        <source>Category</source>
        <translation>Lĩnh vực</translation>
    </message>
    <message>
        <location line="-40"/>
        <source>Commune</source>
        <translation>Phường / xã</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+27"/>
        <source>SLA</source>
        <translation>Thời hạn</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>Sort</source>
        <translation>Sắp xếp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search (/) · diacritics optional</source>
        <translation>Tìm kiếm (/) · không cần gõ dấu</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Keys ?</source>
        <translation>Phím tắt ?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keyboard triage: the keys (? or F1)</source>
        <translation>Xử lý bằng bàn phím: các phím tắt (? hoặc F1)</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Action</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Description</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Place</source>
        <translation>Địa điểm</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Channel</source>
        <translation>Kênh</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Resolve by</source>
        <translation>Hạn xử lý</translation>
    </message>
    <message>
        <location line="+126"/>
        <source>{0} matching</source>
        <translation>{0} phản ánh phù hợp</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} overdue</source>
        <translation>{0} quá hạn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} due soon</source>
        <translation>{0} sắp đến hạn</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} marked (actions apply to all)</source>
        <translation>đã đánh dấu {0} (thao tác áp dụng cho tất cả)</translation>
    </message>
    <message>
        <location line="+105"/>
        <source>Marks cleared</source>
        <translation>Đã bỏ đánh dấu</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Filters cleared</source>
        <translation>Đã xóa bộ lọc</translation>
    </message>
    <message>
        <location line="-289"/>
        <location line="+47"/>
        <source>Agency</source>
        <translation>Đơn vị xử lý</translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="vanished">Hạn xử lý</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Report no.</source>
        <translation>Mã phản ánh</translation>
    </message>
    <message>
        <source>Number</source>
        <translation type="vanished">Mã số</translation>
    </message>
    <message>
        <source>{0} reports · {1} open · {2} urgent · {3} overdue</source>
        <translation type="vanished">{0} phản ánh · {1} đang mở · {2} khẩn · {3} quá hạn</translation>
    </message>
</context>
<context>
    <name>ReportsTriage</name>
    <message>
        <location filename="../../plugins/reports/triage.py" line="-203"/>
        <source>next report</source>
        <extracomment>The keys, as the help overlay lists them: (keys, what they do).</extracomment>
        <translation>phản ánh tiếp theo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>previous report</source>
        <translation>phản ánh trước</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mark / unmark for a bulk action (also Ctrl+click)</source>
        <translation>đánh dấu / bỏ đánh dấu để thao tác hàng loạt (hoặc Ctrl+nhấp chuột)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>verify</source>
        <translation>xác minh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>assign to the last-used agency</source>
        <translation>chuyển xử lý cho đơn vị xử lý dùng gần nhất</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>assign to… (choose agency and deadline)</source>
        <translation>chuyển xử lý cho… (chọn đơn vị xử lý và thời hạn)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reject (1 invalid · 2 out of scope · 3 duplicate)</source>
        <translation>từ chối (1 không hợp lệ · 2 không thuộc phạm vi · 3 trùng lặp)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>add a note</source>
        <translation>thêm ghi chú</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cycle priority (normal → high → urgent)</source>
        <translation>đổi mức ưu tiên (bình thường → cao → khẩn)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>resolve with a result</source>
        <translation>báo cáo kết quả xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>close</source>
        <translation>đóng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reopen (asks the reason)</source>
        <translation>mở lại (hỏi lý do)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>merge into the top suggested duplicate</source>
        <translation>gộp vào phản ánh trùng được gợi ý đầu tiên</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dismiss refused actions</source>
        <translation>ẩn các thao tác bị từ chối</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>search (Enter: back to the queue)</source>
        <translation>tìm kiếm (Enter: quay lại danh sách)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>clear the marks, then the filters</source>
        <translation>bỏ đánh dấu, sau đó xóa bộ lọc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>show / hide this help</source>
        <translation>hiện / ẩn trợ giúp này</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Verify</source>
        <extracomment>Toolbar entries: (command, action name in workflow.ACTIONS, label, key shown).</extracomment>
        <translation>Xác minh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assign</source>
        <translation>Chuyển xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assign to…</source>
        <translation>Chuyển xử lý cho…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reject…</source>
        <translation>Từ chối…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note…</source>
        <translation>Ghi chú…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>Mức ưu tiên</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolve…</source>
        <translation>Báo cáo kết quả…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reopen…</source>
        <translation>Mở lại…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Merge</source>
        <translation>Gộp trùng</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>category default</source>
        <extracomment>Deadline presets of the assign dialog: (label, timedelta or None = the category&apos;s default).</extracomment>
        <translation>mặc định theo lĩnh vực</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in 30 minutes (immediate)</source>
        <translation>trong 30 phút (xử lý ngay)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in 4 hours</source>
        <translation>trong 4 giờ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in 1 day</source>
        <translation>trong 1 ngày</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in 3 days</source>
        <translation>trong 3 ngày</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in 7 days</source>
        <translation>trong 7 ngày</translation>
    </message>
    <message>
        <location line="+106"/>
        <source>⏳ {0} pending</source>
        <translation>⏳ {0} đang chờ gửi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>⏳ {0} sent</source>
        <translation>⏳ {0} đã gửi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>✔ {0} done</source>
        <translation>✔ {0} đã thực hiện</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>✖ {0} refused: {1}</source>
        <translation>✖ {0} bị từ chối: {1}</translation>
    </message>
</context>
<context>
    <name>ReviewBanner</name>
    <message>
        <location filename="../../widgets/review/banner.py" line="+66"/>
        <source>REVIEW · {0} · not live</source>
        <translation>XEM LẠI · {0} · không trực tiếp</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>playing {0}×</source>
        <translation>đang phát {0}×</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Newest in the cache: {0} unacknowledged alarms</source>
        <translation>Mới nhất trong bộ đệm: {0} cảnh báo chưa xác nhận</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Live now: {0} unacknowledged alarms</source>
        <translation>Trực tiếp lúc này: {0} cảnh báo chưa xác nhận</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0}: back to live</source>
        <translation>{0}: trở về trực tiếp</translation>
    </message>
</context>
<context>
    <name>ReviewController</name>
    <message>
        <location filename="../../widgets/review/controller.py" line="+284"/>
        <source>The cache could not be read at that moment; the view keeps the moment it shows</source>
        <extracomment>T (epoch seconds) at each jump, None when back to live: before the data the ReviewSnapshot just shown (after its data) a jump is being built (True) / done (False) a jump could not be built: why (the views keep the moment they show) in review: the live alarm deltas (the annunciator, the live alarm count) playing: the speed (0: paused) the SQL tables of the moment are in place (ms since the jump was asked)</extracomment>
        <translation>Không đọc được bộ đệm tại thời điểm đó; màn hình giữ thời điểm đang hiện</translation>
    </message>
</context>
<context>
    <name>ReviewExport</name>
    <message>
        <location filename="../../widgets/review_export.py" line="+183"/>
        <source>Could not create the folder {0}: {1}</source>
        <extracomment>Distinct colours (on a sampling grid) at or under which a web view&apos;s part of a window&apos;s grab counts as blank and is replaced by the view&apos;s own grab.</extracomment>
        <translation>Không tạo được thư mục {0}: {1}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not encode the picture {0}</source>
        <translation>Không mã hóa được ảnh {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not save the picture {0}: {1}</source>
        <translation>Không lưu được ảnh {0}: {1}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not save the map layers in {0}: {1}</source>
        <translation>Không lưu được các lớp bản đồ vào {0}: {1}</translation>
    </message>
</context>
<context>
    <name>ServicesOverview</name>
    <message>
        <location filename="../../widgets/services_overview.py" line="+33"/>
        <source>disabled</source>
        <translation>đã tắt</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>This service is disabled: its plugin failed.</source>
        <translation>Dịch vụ này đã bị tắt: phân hệ của nó bị lỗi.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Technical details:</source>
        <translation>Chi tiết kỹ thuật:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{0} ago</source>
        <translation>{0} trước</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no data yet</source>
        <translation>chưa có dữ liệu</translation>
    </message>
    <message>
        <source>data {0} old</source>
        <translation type="vanished">dữ liệu cũ {0}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>newest data: {0} ago</source>
        <translation>dữ liệu mới nhất: cách đây {0}</translation>
    </message>
</context>
<context>
    <name>ShelvedModel</name>
    <message>
        <location filename="../../widgets/alarm_lists.py" line="-39"/>
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Alarm</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source</source>
        <translation>Nguồn</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Shelved by</source>
        <translation>Người tạm gác</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Since</source>
        <translation>Từ lúc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Until</source>
        <translation>Đến</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Condition</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <source>Alarm id: {0}</source>
        <translation type="vanished">Mã cảnh báo: {0}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Shelved by {0}: {1}</source>
        <translation>Tạm gác bởi {0}: {1}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{0} (expiring)</source>
        <translation>{0} (sắp hết hạn)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} (in {1})</source>
        <translation>{0} (còn {1})</translation>
    </message>
</context>
<context>
    <name>TimeBar</name>
    <message>
        <location filename="../../widgets/review/time_bar.py" line="+156"/>
        <source>Back to the previous event (Shift+F10)</source>
        <translation>Lùi về sự kiện trước (Shift+F10)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A minute back (F10)</source>
        <translation>Lùi một phút (F10)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Play or pause (F9)</source>
        <translation>Phát hoặc tạm dừng (F9)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A minute forward (F11)</source>
        <translation>Tiến một phút (F11)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On to the next event (Shift+F11)</source>
        <translation>Tới sự kiện sau (Shift+F11)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Playback speed</source>
        <translation>Tốc độ phát</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Go to this moment (Huế time); Enter jumps</source>
        <translation>Đến thời điểm này (giờ Huế); Enter để chuyển</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export…</source>
        <translation>Xuất…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save this moment: a picture of every window and the map&apos;s layers (GeoJSON, CSV)</source>
        <translation>Lưu thời điểm này: ảnh mọi cửa sổ và các lớp bản đồ (GeoJSON, CSV)</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+54"/>
        <source>LIVE</source>
        <translation>TRỰC TIẾP</translation>
    </message>
    <message>
        <location line="-54"/>
        <source>Back to live (F12)</source>
        <translation>Trở về trực tiếp (F12)</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>REVIEW</source>
        <translation>XEM LẠI</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>shown in {0} ms</source>
        <translation>hiện trong {0} ms</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0}: not available at this moment</source>
        <translation>{0}: không có tại thời điểm này</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>shown in {0} ms, lists in {1} ms</source>
        <translation>hiện trong {0} ms, danh sách trong {1} ms</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>loading…</source>
        <translation>đang tải…</translation>
    </message>
</context>
<context>
    <name>TimeSeriesPlot</name>
    <message>
        <location filename="../../widgets/timeseries_plot.py" line="+607"/>
        <source>STALE</source>
        <extracomment>Curve pen widths (px): the console&apos;s, and the wall&apos;s (read from across the room). Where a threshold label may sit along its line (share of the view&apos;s width).</extracomment>
        <translation>DỮ LIỆU CŨ</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No data</source>
        <translation>Không có dữ liệu</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Water level</source>
        <translation>Mực nước</translation>
    </message>
</context>
<context>
    <name>TimelineStrip</name>
    <message>
        <location filename="../../widgets/review/time_bar.py" line="-210"/>
        <source>The cache holds no history yet</source>
        <translation>Bộ đệm chưa có lịch sử</translation>
    </message>
</context>
<context>
    <name>Triage</name>
    <message>
        <location filename="../../plugins/reports/triage.py" line="+195"/>
        <source>{0} (key {1})</source>
        <translation>{0} (phím {1})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export for agency…</source>
        <translation>Xuất cho đơn vị xử lý…</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>{0}: dispatching is not available in this window</source>
        <translation>{0}: không thể điều phối trong cửa sổ này</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>unknown (not signed in yet)</source>
        <translation>chưa rõ (chưa đăng nhập)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}: not allowed for your role ({1})</source>
        <translation>{0}: vai trò của bạn không được phép ({1})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0}: no report selected</source>
        <translation>{0}: chưa chọn phản ánh nào</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0}: not possible for a report that is {1}</source>
        <translation>{0}: không thực hiện được với phản ánh ở trạng thái {1}</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>{0} refused action(s) dismissed</source>
        <translation>Đã ẩn {0} thao tác bị từ chối</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>{0}: one report at a time</source>
        <translation>{0}: mỗi lần chỉ một phản ánh</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No agency used yet: choose one (Shift+A)</source>
        <translation>Chưa dùng đơn vị xử lý nào: hãy chọn một đơn vị (Shift+A)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Note on {0} report(s)</source>
        <translation>Ghi chú cho {0} phản ánh</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Note</source>
        <translation>&amp;Ghi chú</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Resolve {0} report(s)</source>
        <translation>Báo cáo kết quả xử lý {0} phản ánh</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Result</source>
        <translation>&amp;Kết quả</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reopen {0} report(s)</source>
        <translation>Mở lại {0} phản ánh</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Reason</source>
        <translation>&amp;Lý do</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>merge: duplicate suggestions are not available</source>
        <translation>gộp trùng: không có gợi ý phản ánh trùng</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>merge: could not read the suggestions</source>
        <translation>gộp trùng: không đọc được các gợi ý</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>merge: no duplicate suggested (same category, within 50 m, open)</source>
        <translation>gộp trùng: không có gợi ý phản ánh trùng (cùng lĩnh vực, trong phạm vi 50 m, đang mở)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} → {1} ({2:.0f} m)</source>
        <translation>{0} → {1} ({2:.0f} m)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} report(s) without a suggestion are left as they are</source>
        <translation>{0} phản ánh không có gợi ý được giữ nguyên</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Merge as duplicates?</source>
        <translation>Gộp các phản ánh trùng?</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{0} → {1}</source>
        <translation>{0} → {1}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Merge as duplicate?</source>
        <translation>Gộp phản ánh trùng?</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>{0}{1}: {2} queued</source>
        <translation>{0}{1}: {2} đang chờ gửi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0}{1}: {2} reports queued</source>
        <translation>{0}{1}: {2} phản ánh đang chờ gửi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} skipped (not allowed in their state)</source>
        <translation>bỏ qua {0} (trạng thái không cho phép)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} refused: {1}</source>
        <translation>{0} bị từ chối: {1}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Export for agency: supervisors only</source>
        <translation>Xuất cho đơn vị xử lý: chỉ dành cho người giám sát</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export for agency: not available</source>
        <translation>Xuất cho đơn vị xử lý: không khả dụng</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Export for agency: no agency chosen</source>
        <translation>Xuất cho đơn vị xử lý: chưa chọn đơn vị</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export for {0}</source>
        <translation>Xuất cho {0}</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Export for agency failed (see the log)</source>
        <translation>Xuất cho đơn vị xử lý thất bại (xem nhật ký)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Exported for {0} to {1}</source>
        <translation>Đã xuất cho {0} vào {1}</translation>
    </message>
</context>
<context>
    <name>WallAlarmSummary</name>
    <message>
        <location filename="../../widgets/alarm_summary.py" line="+58"/>
        <location line="+72"/>
        <source>No active alarm</source>
        <translation>Không có cảnh báo đang hoạt động</translation>
    </message>
</context>
<context>
    <name>WallManager</name>
    <message>
        <location filename="../../widgets/wall/manager.py" line="+64"/>
        <source>normal</source>
        <extracomment>The built-in presets&apos; names as the wall shows them (others as the file spells them).</extracomment>
        <translation>bình thường</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>flood</source>
        <translation>lũ lụt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>storm</source>
        <translation>bão</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>night</source>
        <translation>ban đêm</translation>
    </message>
    <message>
        <location line="+352"/>
        <source>{preset} preset — {reason} · since {time}</source>
        <extracomment>The decision changed (preset, reason, lock): a WallDecision. Windows were created or closed (screens, open/close).</extracomment>
        <translation>Chế độ {preset} — {reason} · từ {time}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>LAYOUT LOCKED · {preset} · no automatic switching</source>
        <translation>ĐÃ KHÓA BỐ CỤC · {preset} · không tự động chuyển</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>This panel could not be shown: {0}</source>
        <translation>Không hiển thị được bảng này: {0}</translation>
    </message>
    <message>
        <location line="+223"/>
        <location line="+7"/>
        <source>held</source>
        <translation>tạm dừng</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>REVIEW, not live</source>
        <translation>XEM LẠI, không trực tuyến</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+12"/>
        <source>NOT CURRENT</source>
        <translation>DỮ LIỆU CŨ</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>{0} · no data received</source>
        <translation>{0} · chưa nhận được dữ liệu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} · data from {1}</source>
        <translation>{0} · cập nhật lần cuối {1}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{0} · this panel stopped updating at {1}</source>
        <translation>{0} · bảng này ngừng cập nhật lúc {1}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>REVIEW · {0}</source>
        <translation>XEM LẠI · {0}</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>data from {0}</source>
        <translation>cập nhật lần cuối {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no data received</source>
        <translation>chưa nhận được dữ liệu</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>REVIEW · OFFLINE</source>
        <translation>XEM LẠI · NGOẠI TUYẾN</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Showing the cache, not live · {0}</source>
        <translation>Đang hiển thị dữ liệu lưu trữ, không trực tuyến · {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CONNECTING</source>
        <translation>ĐANG KẾT NỐI</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+5"/>
        <source>LINK DOWN</source>
        <translation>MẤT KẾT NỐI</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>FAILED</source>
        <translation>LỖI</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NOT AUTHORISED</source>
        <translation>KHÔNG ĐƯỢC PHÉP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OFFLINE</source>
        <translation>NGOẠI TUYẾN</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nothing new arrives; what is shown is old · {0}</source>
        <translation>Không có dữ liệu mới; nội dung đang hiển thị là dữ liệu cũ · {0}</translation>
    </message>
</context>
<context>
    <name>WallPanels</name>
    <message>
        <location filename="../../widgets/wall/panels.py" line="+68"/>
        <source>Map</source>
        <extracomment>The kinds that show one plugin&apos;s panel: kind -&gt; (plugin name, panel id). Default titles of the kinds (a panel&apos;s ``title`` option replaces it).</extracomment>
        <translation>Bản đồ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>River levels</source>
        <translation>Mực nước sông</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alarms</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Services</source>
        <translation>Các dịch vụ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>City cameras</source>
        <translation>Camera đô thị</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fishing vessels</source>
        <translation>Tàu cá</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warnings</source>
        <translation>Thông tin cảnh báo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reports needing attention</source>
        <translation>Phản ánh cần xử lý ngay</translation>
    </message>
    <message>
        <location line="+193"/>
        <source>the {0} service is not installed</source>
        <extracomment>The loaded plugins (``ioc_desktop.plugin_api.LoadedPlugin``), as the console&apos;s. The console&apos;s context: query, run_read, fetch_media, dispatch, request_select… (its ``map`` and ``banner`` are not used: a wall panel has its own). The interface language. The smallest capital letter allowed on this window&apos;s screen, device px (``ioc_desktop.wall.readability.min_text_px``). ``map_factory(center=(lat, lon), zoom=int)`` -&gt; a new ``widgets.map_view.MapView``; None: maps are off (tests, no QtWebEngine): a map panel says so. ``alarm_act(action, alarm_id, **kwargs)`` (``FeedService.alarm_action``): the wall&apos;s alarm summary acknowledges with it (A / Space); None: no actions. Device pixels per logical pixel of the window&apos;s screen. The alarm views&apos; clock. The service an alarm comes from, in words (the console&apos;s ``_alarm_source_title``). Topics per plugin (plugin name -&gt; topic names), for a panel&apos;s ``topics``; by default read from ``loaded``.</extracomment>
        <translation>dịch vụ {0} chưa được cài đặt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the {0} service failed to load</source>
        <translation>dịch vụ {0} không nạp được</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+57"/>
        <source>the {0} service has no panels</source>
        <translation>dịch vụ {0} không có bảng nào</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>no panel of kind {0}</source>
        <translation>không có loại bảng {0}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This panel is not available: {0}</source>
        <translation>Bảng này không hiển thị được: {0}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>the {0} service has no panel {1} on the wall (it has: {2})</source>
        <translation>dịch vụ {0} không có bảng {1} trên màn hình tường (chỉ có: {2})</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>the map is off</source>
        <translation>bản đồ đang tắt</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <location filename="../../widgets/wall/window.py" line="+201"/>
        <source>Huế IOC — wall {0}</source>
        <extracomment>Preset keys, in the configuration&apos;s preset order (Ctrl+1 the first).</extracomment>
        <translation>Huế IOC — màn hình tường {0}</translation>
    </message>
</context>
<context>
    <name>ads</name>
    <message>
        <location filename="../../plugins/ads/gui.py" line="+31"/>
        <source>unlicensed content</source>
        <translation>nội dung chưa được cấp phép</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>prohibited content</source>
        <translation>nội dung bị cấm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>schedule breach</source>
        <translation>phát sai khung giờ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>violation</source>
        <translation>vi phạm</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>online</source>
        <translation>trực tuyến</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>offline</source>
        <translation>ngoại tuyến</translation>
    </message>
    <message>
        <location line="+36"/>
        <location line="+60"/>
        <source>Screen</source>
        <translation>Màn hình</translation>
    </message>
    <message>
        <location line="-59"/>
        <location line="+61"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="-60"/>
        <location line="+62"/>
        <source>Content</source>
        <translation>Nội dung phát</translation>
    </message>
    <message>
        <location line="-60"/>
        <source>Violation</source>
        <translation>Vi phạm</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+60"/>
        <source>Since</source>
        <translation>Từ lúc</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+2"/>
        <source>LED billboards</source>
        <translation>Giám sát quảng cáo điện tử</translation>
    </message>
    <message>
        <source>Billboard {0}: {1} — {2}</source>
        <translation type="vanished">Màn hình LED {0}: {1} — {2}</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>{0}/{1} online</source>
        <translation>{0}/{1} trực tuyến</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%n violation(s)</source>
        <translation>%n vi phạm</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No violation. Select a screen for its details.</source>
        <translation>Không có vi phạm. Chọn một màn hình để xem chi tiết.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Status: {0}</source>
        <translation>Trạng thái: {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Content: {0}</source>
        <translation>Nội dung phát: {0}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Violation: {0} — {1}</source>
        <translation>Vi phạm: {0} — {1}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Since: {0}</source>
        <translation>Từ lúc: {0}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>screens online</source>
        <translation>màn hình trực tuyến</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} offline</source>
        <translation>{0} ngoại tuyến</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>violations</source>
        <translation>vi phạm</translation>
    </message>
    <message>
        <location filename="../../plugins/ads/rules.py" line="+40"/>
        <source>Billboard {0}: unlicensed content — {1}</source>
        <extracomment>A dark screen is an alarm once it has been dark this long. Longest violation detail in an alarm text (when the report names no content).</extracomment>
        <translation>Màn hình LED {0}: nội dung chưa được cấp phép — {1}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Billboard {0}: prohibited content — {1}</source>
        <translation>Màn hình LED {0}: nội dung bị cấm — {1}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Billboard {0}: schedule breach — {1}</source>
        <translation>Màn hình LED {0}: phát sai khung giờ — {1}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Billboard {0}: violation — {1}</source>
        <translation>Màn hình LED {0}: vi phạm — {1}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Billboard {0}: violation ({1}) — {2}</source>
        <extracomment>Any other kind: its identifier is shown (underscores as spaces).</extracomment>
        <translation>Màn hình LED {0}: vi phạm ({1}) — {2}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Billboard {0} offline since {1} ({2:.0f} min)</source>
        <translation>Màn hình LED {0} ngoại tuyến từ {1} ({2:.0f} phút)</translation>
    </message>
</context>
<context>
    <name>alerts</name>
    <message>
        <location filename="../../plugins/alerts/gui.py" line="+24"/>
        <source>Extreme</source>
        <translation>Cực kỳ nghiêm trọng</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Severe</source>
        <translation>Nghiêm trọng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Moderate</source>
        <translation>Trung bình</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Minor</source>
        <translation>Nhẹ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unknown</source>
        <translation>Chưa rõ</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>upcoming</source>
        <translation>sắp có hiệu lực</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Area</source>
        <translation>Khu vực</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+27"/>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>Instruction</source>
        <translation>Khuyến cáo</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>State</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <location line="-62"/>
        <location line="+108"/>
        <source>in force</source>
        <translation>đang hiệu lực</translation>
    </message>
    <message>
        <location line="-108"/>
        <source>cancelled</source>
        <translation>đã hủy</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>ended</source>
        <translation>hết hiệu lực</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Event</source>
        <translation>Sự kiện</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Headline</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent</source>
        <translation>Ban hành lúc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sender</source>
        <translation>Cơ quan ban hành</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Warnings (CAP)</source>
        <translation>Cảnh báo (CAP)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Warnings</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <location filename="../../plugins/alerts/rules.py" line="+34"/>
        <source>Warning in force: {0} (until {1})</source>
        <extracomment>Alarm priority by CAP severity (1 highest).</extracomment>
        <translation>Cảnh báo đang có hiệu lực: {0} (đến {1})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warning in force: {0}</source>
        <translation>Cảnh báo đang có hiệu lực: {0}</translation>
    </message>
</context>
<context>
    <name>cameras</name>
    <message>
        <location filename="../../plugins/cameras/gui.py" line="+30"/>
        <source>flooded street</source>
        <translation>đường ngập nước</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>crowd</source>
        <translation>tụ tập đông người</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>traffic violation</source>
        <translation>vi phạm giao thông</translation>
    </message>
    <message>
        <location line="+34"/>
        <location line="+76"/>
        <source>Camera</source>
        <extracomment>Detections kept in the list (the model&apos;s episodes and the ended ones read back). Snapshot requests out at once (the fetcher works through them one by one anyway). After a failed fetch, the same URL is retried after this long. Events read back from the cache at start to rebuild the detections list.</extracomment>
        <translation>Camera</translation>
    </message>
    <message>
        <location line="-75"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+248"/>
        <source>online</source>
        <translation>trực tuyến</translation>
    </message>
    <message>
        <location line="-248"/>
        <location line="+242"/>
        <location line="+6"/>
        <source>OFFLINE</source>
        <translation>NGOẠI TUYẾN</translation>
    </message>
    <message>
        <location line="-246"/>
        <location line="+73"/>
        <source>Detection</source>
        <translation>Phát hiện</translation>
    </message>
    <message>
        <location line="-72"/>
        <source>Since</source>
        <translation>Từ lúc</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Confidence</source>
        <translation>Độ tin cậy</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation>Tình trạng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>active</source>
        <translation>đang diễn ra</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ended {0}</source>
        <translation>kết thúc lúc {0}</translation>
    </message>
    <message>
        <location line="+30"/>
        <location line="+2"/>
        <source>City cameras</source>
        <translation>Giám sát đô thị qua camera</translation>
    </message>
    <message>
        <location line="+108"/>
        <source>loading snapshot…</source>
        <translation>đang tải ảnh chụp…</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>no snapshot</source>
        <translation>không có ảnh chụp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>technical details: {0}</source>
        <translation>chi tiết kỹ thuật: {0}</translation>
    </message>
    <message>
        <source>no snapshot: {0}</source>
        <translation type="vanished">không có ảnh chụp: {0}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} since {1}</source>
        <translation>{0} từ lúc {1}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>snapshot fetched {0}</source>
        <translation>ảnh chụp lúc {0}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>cached image from {0}</source>
        <translation>ảnh lưu đệm lúc {0}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>offline since {0}</source>
        <translation>ngoại tuyến từ {0}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{0}/{1} online</source>
        <translation>{0}/{1} trực tuyến</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} offline</source>
        <translation>{0} ngoại tuyến</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%n detection(s)</source>
        <translation>%n phát hiện</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} flooded</source>
        <translation>{0} điểm ngập</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>not an image</source>
        <translation>không phải tệp ảnh</translation>
    </message>
    <message>
        <source>Flooded streets seen by %n camera(s): {0}</source>
        <translation type="vanished">Camera phát hiện ngập tại %n điểm: {0}</translation>
    </message>
    <message>
        <source>Flooded street seen by camera: {0} ({1:.0%})</source>
        <translation type="vanished">Camera phát hiện đường ngập nước: {0} ({1:.0%})</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>{0} offline, {1} detections ({2} flooded streets)</source>
        <translation>{0} ngoại tuyến, {1} phát hiện ({2} điểm ngập)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cameras online</source>
        <translation>camera trực tuyến</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>detections</source>
        <translation>phát hiện</translation>
    </message>
    <message>
        <location filename="../../plugins/cameras/rules.py" line="+46"/>
        <source>{0}: flooded street seen ({1:.0%} confidence) since {2}</source>
        <extracomment>A crowd detected with at least this confidence raises the alarm. Once raised, a detection&apos;s alarm holds until its confidence is this much lower.</extracomment>
        <translation>{0}: phát hiện đường ngập (độ tin cậy {1:.0%}) từ {2}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}: crowd seen ({1:.0%} confidence) since {2}</source>
        <translation>{0}: phát hiện đám đông tụ tập (độ tin cậy {1:.0%}) từ {2}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}: camera offline for {1:.0f} min (since {2})</source>
        <translation>{0}: camera mất kết nối {1:.0f} phút (từ {2})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}: camera offline</source>
        <translation>{0}: camera mất kết nối</translation>
    </message>
</context>
<context>
    <name>cyber</name>
    <message>
        <location filename="../../plugins/cyber/labels.py" line="+11"/>
        <source>CRITICAL</source>
        <translation>NGHIÊM TRỌNG</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>HIGH</source>
        <translation>CAO</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>medium</source>
        <translation>trung bình</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>low</source>
        <translation>thấp</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>new</source>
        <translation>mới</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>investigating</source>
        <translation>đang xác minh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>contained</source>
        <translation>đã ngăn chặn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>resolved</source>
        <translation>đã xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>false positive</source>
        <translation>cảnh báo nhầm</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>malware</source>
        <translation>mã độc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>phishing</source>
        <translation>lừa đảo (phishing)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DDoS</source>
        <translation>tấn công từ chối dịch vụ (DDoS)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>intrusion attempt</source>
        <translation>thử xâm nhập</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>web defacement</source>
        <translation>thay đổi giao diện web trái phép</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>brute force</source>
        <translation>dò mật khẩu (brute force)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>data leak</source>
        <translation>lộ lọt dữ liệu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ransomware</source>
        <translation>mã độc tống tiền</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unauthorized access</source>
        <translation>truy cập trái phép</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>vulnerability scan</source>
        <translation>dò quét lỗ hổng</translation>
    </message>
    <message>
        <source>Cyber: CRITICAL {0} on {1} from {2} ({3})</source>
        <translation type="vanished">ATTT mạng: NGHIÊM TRỌNG {0} vào {1} từ {2} ({3})</translation>
    </message>
    <message>
        <location filename="../../plugins/cyber/gui.py" line="+33"/>
        <source>open</source>
        <translation>đang mở</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} open · {1} contained · {2} closed</source>
        <translation>{0} đang mở · {1} đã ngăn chặn · {2} đã đóng</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Cyber security</source>
        <translation>Giám sát an toàn thông tin mạng</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>open events</source>
        <translation>sự cố đang mở</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>new or under investigation</source>
        <translation>mới hoặc đang xác minh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>high + critical</source>
        <translation>cao + nghiêm trọng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} critical, {1} high</source>
        <translation>{0} nghiêm trọng, {1} cao</translation>
    </message>
    <message>
        <location filename="../../plugins/cyber/rules.py" line="+35"/>
        <source>Cyber: CRITICAL {0} on {1} from {2} (new, seen {3}×)</source>
        <translation>ATTT mạng: NGHIÊM TRỌNG {0} vào {1} từ {2} (mới, phát hiện {3} lần)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cyber: CRITICAL {0} on {1} from {2} (investigating, seen {3}×)</source>
        <translation>ATTT mạng: NGHIÊM TRỌNG {0} vào {1} từ {2} (đang xác minh, phát hiện {3} lần)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cyber: HIGH {0} on {1} from {2} (new, seen {3}×)</source>
        <translation>ATTT mạng: CAO {0} vào {1} từ {2} (mới, phát hiện {3} lần)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cyber: HIGH {0} on {1} from {2} (investigating, seen {3}×)</source>
        <translation>ATTT mạng: CAO {0} vào {1} từ {2} (đang xác minh, phát hiện {3} lần)</translation>
    </message>
</context>
<context>
    <name>ecard</name>
    <message>
        <location filename="../../plugins/ecard/gui.py" line="+80"/>
        <source>Visitors today</source>
        <extracomment>Leading words dropped from a site&apos;s name in the trend&apos;s tags (&quot;Lăng&quot; = tomb, …).</extracomment>
        <translation>Lượt khách hôm nay</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revenue today, million ₫</source>
        <translation>Doanh thu hôm nay, triệu ₫</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Busiest site</source>
        <translation>Điểm đông khách nhất</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Silent validators</source>
        <translation>Máy soát vé mất liên lạc</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Site</source>
        <translation>Điểm tham quan</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Visitors</source>
        <translation>Lượt khách</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+167"/>
        <source>Last report</source>
        <translation>Báo cáo gần nhất</translation>
    </message>
    <message>
        <location line="-164"/>
        <location line="+162"/>
        <source>This hour</source>
        <translation>Trong giờ này</translation>
    </message>
    <message>
        <location line="-159"/>
        <source>Issued</source>
        <translation>Đã phát hành</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Revenue</source>
        <translation>Doanh thu</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Visitors per hour — busiest sites</source>
        <translation>Lượt khách mỗi giờ — các điểm đông khách nhất</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>/h</source>
        <translation>/giờ</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>E-tickets</source>
        <translation>Thẻ điện tử</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ticket sites</source>
        <translation>Điểm soát vé</translation>
    </message>
    <message>
        <source>{0}: no ticket validator report since {1}</source>
        <translation type="vanished">{0}: máy soát vé không gửi dữ liệu từ {1}</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>{0} tickets issued</source>
        <translation>{0} vé đã phát hành</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} per visitor</source>
        <translation>{0} mỗi lượt khách</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>all sites reporting</source>
        <translation>tất cả các điểm đều gửi dữ liệu</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>silent · {0}</source>
        <translation>mất liên lạc · {0}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Period: {0}</source>
        <translation>Kỳ: {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This period: {0} used of {1} issued</source>
        <translation>Kỳ này: {0} vé đã sử dụng / {1} vé đã phát hành</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Today: {0} visitors, {1}</source>
        <translation>Hôm nay: {0} lượt khách, {1}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Last report: {0}</source>
        <translation>Báo cáo gần nhất: {0}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{0}: {1} visitors today</source>
        <translation>{0}: {1} lượt khách hôm nay</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Revenue today</source>
        <translation>Doanh thu hôm nay</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>silent</source>
        <translation>mất liên lạc</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>visitors today</source>
        <translation>lượt khách hôm nay</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>silent validators: {0}</source>
        <translation>máy soát vé mất liên lạc: {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>revenue</source>
        <translation>doanh thu</translation>
    </message>
    <message>
        <location filename="../../plugins/ecard/rules.py" line="+31"/>
        <source>{0}: no e-ticket validator report since {1} ({2:.0f} min)</source>
        <translation>{0}: máy soát vé điện tử không gửi dữ liệu từ {1} ({2:.0f} phút)</translation>
    </message>
</context>
<context>
    <name>environment</name>
    <message>
        <source>1 hour</source>
        <extracomment>Samples a graph keeps in memory: the history read (at most 2 * HISTORY_BUCKETS) and the live observations since; when full, what is older than the window goes and the rest but the newest quarter is downsampled (:meth:`LevelGraphs.compact`). The windows a graph can show (seconds, label); the longest is the cache&apos;s retention.</extracomment>
        <translation type="obsolete">1 giờ</translation>
    </message>
    <message>
        <location filename="../../plugins/environment/gui.py" line="-124"/>
        <source>Last hour</source>
        <extracomment>Samples a graph keeps in memory: the cache&apos;s retention (7 days) at 1 Hz, the history read (at most 2 * HISTORY_BUCKETS) and the live observations since: ~9.7 MB a station when full (t and v float64) plus ~2.4 MB of min/max pyramid, resident only as it fills (np.empty pages are not touched before). ``SERIES_DTYPE = np.float32`` would save a quarter (~7 significant digits: the tags would show 0.5669999 for 0.567). A station faster than 1 Hz fills it sooner: then what is older than the window goes and the rest but the newest quarter is downsampled (:meth:`LevelGraphs.compact`). The windows a graph can show (seconds, label); the longest is the cache&apos;s retention.</extracomment>
        <translation>1 giờ qua</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 6 hours</source>
        <translation>6 giờ qua</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 24 hours</source>
        <translation>24 giờ qua</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 7 days</source>
        <translation>7 ngày qua</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>water level</source>
        <translation>mực nước</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reservoir level</source>
        <translation>mực nước hồ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rainfall</source>
        <translation>lượng mưa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>inflow</source>
        <translation>lưu lượng đến</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>outflow</source>
        <translation>lưu lượng xả</translation>
    </message>
    <message>
        <location line="+31"/>
        <location line="+216"/>
        <source>Quantity</source>
        <translation>Thông số</translation>
    </message>
    <message>
        <location line="-216"/>
        <location line="+217"/>
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <location line="-216"/>
        <location line="+220"/>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <location line="-179"/>
        <source>How far back the graphs go (at most the cache&apos;s retention)</source>
        <extracomment>The window (seconds) was changed by the user: its history must be read again.</extracomment>
        <translation>Đồ thị hiển thị bao xa về trước (tối đa bằng thời gian lưu của bộ nhớ đệm)</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>Last {0:g} hours</source>
        <translation>{0:g} giờ qua</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>Station</source>
        <translation>Trạm</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Flood level</source>
        <translation>Mức báo động</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Hydrology and air</source>
        <translation>Thủy văn và không khí</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>River levels</source>
        <translation>Mực nước sông</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stations</source>
        <translation>Trạm quan trắc</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>flood release</source>
        <translation>xả lũ</translation>
    </message>
    <message>
        <source>{0}: water level {1} — above {2}</source>
        <translation type="vanished">{0}: mực nước {1} — trên {2}</translation>
    </message>
    <message>
        <location filename="../../plugins/environment/rules.py" line="+50"/>
        <source>{0}: water level {1:.2f} m, at flood warning level {2} ({3:.2f} m)</source>
        <extracomment>The rule that the river&apos;s BĐ2 alarm suppresses by design (the cameras plugin&apos;s). Alarm priority by flood warning level: BĐ1 3, BĐ2 2, BĐ3 1. Alarm priority by AQI band index (2 Kém … 5 Nguy hại).</extracomment>
        <translation>{0}: mực nước {1:.2f} m, ở mức báo động {2} ({3:.2f} m)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0}: AQI {1:.0f}, poor air quality</source>
        <translation>{0}: AQI {1:.0f}, chất lượng không khí kém</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}: AQI {1:.0f}, bad air quality</source>
        <translation>{0}: AQI {1:.0f}, chất lượng không khí xấu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}: AQI {1:.0f}, very bad air quality</source>
        <translation>{0}: AQI {1:.0f}, chất lượng không khí rất xấu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}: AQI {1:.0f}, hazardous air quality</source>
        <translation>{0}: AQI {1:.0f}, chất lượng không khí nguy hại</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0}: releasing {1:.0f} m³/s, above its flood-release level ({2:.0f} m³/s)</source>
        <translation>{0}: đang xả {1:.0f} m³/s, trên ngưỡng xả lũ ({2:.0f} m³/s)</translation>
    </message>
</context>
<context>
    <name>figures</name>
    <message>
        <location filename="../../ioc_desktop/figures.py" line="+108"/>
        <source>{0} billion ₫</source>
        <extracomment>Largest count a tally may carry (far above any real figure; catches garbage).</extracomment>
        <translation>{0} tỷ ₫</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} million ₫</source>
        <translation>{0} triệu ₫</translation>
    </message>
</context>
<context>
    <name>plugins</name>
    <message>
        <location filename="../../plugins/reports/__init__.py" line="+16"/>
        <source>Field reports</source>
        <translation>Phản ánh hiện trường</translation>
    </message>
    <message>
        <location filename="../../plugins/environment/__init__.py" line="+16"/>
        <source>Reservoirs, rivers and air</source>
        <translation>Hồ đập, sông và không khí</translation>
    </message>
    <message>
        <location filename="../../plugins/vessels/__init__.py" line="+16"/>
        <source>Fishing vessels</source>
        <translation>Tàu cá</translation>
    </message>
    <message>
        <location filename="../../plugins/alerts/__init__.py" line="+16"/>
        <source>Warnings</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <location filename="../../plugins/ads/__init__.py" line="+19"/>
        <source>LED billboards</source>
        <translation>Giám sát quảng cáo điện tử</translation>
    </message>
    <message>
        <location filename="../../plugins/cameras/__init__.py" line="+17"/>
        <source>City cameras</source>
        <translation>Giám sát đô thị qua camera</translation>
    </message>
    <message>
        <location filename="../../plugins/cyber/__init__.py" line="+18"/>
        <source>Cyber security</source>
        <translation>Giám sát an toàn thông tin mạng</translation>
    </message>
    <message>
        <location filename="../../plugins/ecard/__init__.py" line="+17"/>
        <source>E-tickets</source>
        <translation>Thẻ điện tử</translation>
    </message>
    <message>
        <location filename="../../plugins/press/__init__.py" line="+19"/>
        <source>Press monitoring</source>
        <translation>Giám sát thông tin báo chí</translation>
    </message>
    <message>
        <location filename="../../plugins/public_admin/__init__.py" line="+18"/>
        <source>Public administration</source>
        <translation>Giám sát hành chính công</translation>
    </message>
</context>
<context>
    <name>press</name>
    <message>
        <location filename="../../plugins/press/schema.py" line="+37"/>
        <source>tourism</source>
        <extracomment>Topic identifiers the demo sends and the panel labels (others are shown as sent). English labels of :data:`TOPICS` (context ``press``): the panel translates them, the alarm texts (written by the Qt-free rules) carry them as they are.</extracomment>
        <translation>du lịch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>traffic</source>
        <translation>giao thông</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>environment</source>
        <translation>môi trường</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>floods &amp; disasters</source>
        <translation>lũ lụt &amp; thiên tai</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>construction</source>
        <translation>xây dựng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>education</source>
        <translation>giáo dục</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>health</source>
        <translation>y tế</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>public order</source>
        <translation>an ninh trật tự</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>public administration</source>
        <translation>hành chính công</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>economy</source>
        <translation>kinh tế</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>culture</source>
        <translation>văn hóa</translation>
    </message>
    <message>
        <location filename="../../plugins/press/gui.py" line="-133"/>
        <location line="+249"/>
        <source>negative</source>
        <translation>tiêu cực</translation>
    </message>
    <message>
        <location line="-248"/>
        <source>leaning negative</source>
        <translation>hơi tiêu cực</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>neutral</source>
        <translation>trung lập</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>positive</source>
        <translation>tích cực</translation>
    </message>
    <message>
        <location line="+54"/>
        <location line="+47"/>
        <source>Topic</source>
        <translation>Chủ đề</translation>
    </message>
    <message>
        <location line="-46"/>
        <source>Items</source>
        <translation>Số tin</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Negative</source>
        <translation>Tiêu cực</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mean sentiment</source>
        <translation>Sắc thái trung bình</translation>
    </message>
    <message>
        <location line="+143"/>
        <source>Press monitoring</source>
        <translation>Giám sát thông tin báo chí</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>{0} today</source>
        <translation>{0} hôm nay</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+3"/>
        <source>{0} of {1} items</source>
        <translation>{0}/{1} tin</translation>
    </message>
    <message>
        <location line="-187"/>
        <source>▲ NEGATIVE SPIKE: {0} of {1} items negative in the last {2} min (most: {3})</source>
        <translation>▲ TIN TIÊU CỰC TĂNG ĐỘT BIẾN: {0}/{1} tin tiêu cực trong {2} phút qua (nhiều nhất: {3})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No negative spike: {0} of {1} items negative in the last {2} min</source>
        <translation>Không có đột biến tin tiêu cực: {0}/{1} tin tiêu cực trong {2} phút qua</translation>
    </message>
    <message>
        <source>Press: negative spike, {0} of {1} items negative in {2} min (most: {3})</source>
        <translation type="vanished">Báo chí: tin tiêu cực tăng đột biến, {0}/{1} tin tiêu cực trong {2} phút (nhiều nhất: {3})</translation>
    </message>
    <message>
        <location line="+199"/>
        <source>items today</source>
        <translation>tin hôm nay</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>last hour</source>
        <translation>1 giờ qua</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>share of items with sentiment ≤ −0.5 in the last hour; the badge counts the negative items of a spike</source>
        <translation>tỷ lệ tin có sắc thái ≤ −0,5 trong 1 giờ qua; số trên huy hiệu là số tin tiêu cực của đợt đột biến</translation>
    </message>
    <message>
        <location filename="../../plugins/press/rules.py" line="+33"/>
        <source>Negative press spike: {0} of {1} items negative ({2:.0f} %) in the last {3} min; most: {4}</source>
        <extracomment>The spike alarm&apos;s key (one spike for the whole feed); ``PressGui.select`` knows it.</extracomment>
        <translation>Tin báo chí tiêu cực tăng đột biến: {0}/{1} tin tiêu cực ({2:.0f} %) trong {3} phút qua; nhiều nhất: {4}</translation>
    </message>
</context>
<context>
    <name>public_admin</name>
    <message>
        <location filename="../../plugins/public_admin/gui.py" line="+111"/>
        <source>Agency</source>
        <extracomment>Display abbreviations of the usual agency names (the tooltip keeps the full name). Key of the totals line: a real agency_id is never empty (the schema refuses it).</extracomment>
        <translation>Đơn vị xử lý</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+42"/>
        <source>Overdue</source>
        <translation>Quá hạn</translation>
    </message>
    <message>
        <location line="-39"/>
        <location line="+38"/>
        <source>On time</source>
        <translation>Đúng hạn</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>Received</source>
        <translation>Tiếp nhận</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Resolved</source>
        <translation>Đã giải quyết</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Online L3 / L4</source>
        <translation>Trực tuyến mức độ 3 / 4</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+31"/>
        <source>Satisfied</source>
        <translation>Hài lòng</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Online (L3 + L4)</source>
        <translation>Trực tuyến (mức độ 3 + 4)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Public administration</source>
        <translation>Giám sát hành chính công</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Period: {0}</source>
        <translation>Kỳ báo cáo: {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pending: {0}</source>
        <translation>Đang giải quyết: {0}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Resolved late: {0} · pending past due: {1}</source>
        <translation>Giải quyết trễ hạn: {0} · đang giải quyết đã quá hạn: {1}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Older period than the others: left out of the totals</source>
        <translation>Kỳ báo cáo cũ hơn các đơn vị khác: không tính vào tổng</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Figures changed at {0}</source>
        <translation>Số liệu thay đổi lúc {0}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>All agencies ({0})</source>
        <translation>Tất cả đơn vị ({0})</translation>
    </message>
    <message>
        <source>{0}: {1} overdue dossiers ({2} of received)</source>
        <translation type="vanished">{0}: {1} hồ sơ quá hạn ({2} số hồ sơ tiếp nhận)</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>of {0} resolved</source>
        <translation>trên {0} hồ sơ đã giải quyết</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%n agency(ies) ≥ {0}</source>
        <translation>%n đơn vị ≥ {0}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>L3 {0} · L4 {1}</source>
        <translation>mức độ 3: {0} · mức độ 4: {1}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>period {0}</source>
        <translation>kỳ {0}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>on time</source>
        <translation>đúng hạn</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>agencies at {0} overdue or more: {1}</source>
        <translation>đơn vị có tỷ lệ quá hạn từ {0} trở lên: {1}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>overdue</source>
        <translation>quá hạn</translation>
    </message>
    <message>
        <location filename="../../plugins/public_admin/rules.py" line="+37"/>
        <source>{0}: {1} overdue dossiers, {2:.1f} % of the {3} received (limit {4:g} %)</source>
        <extracomment>Overdue share (percent of received) at which an agency is in alarm. ... with at least this many overdue dossiers. Percentage points below OVERDUE_ALARM_PCT before a raised alarm clears (below 8 %). Longest agency name in an alarm text.</extracomment>
        <translation>{0}: {1} hồ sơ quá hạn, {2:.1f} % trên {3} hồ sơ tiếp nhận (ngưỡng {4:g} %)</translation>
    </message>
</context>
<context>
    <name>reports</name>
    <message>
        <location filename="../../plugins/reports/labels.py" line="+18"/>
        <source>received</source>
        <translation>tiếp nhận</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>verified</source>
        <translation>đã xác minh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>assigned</source>
        <translation>đã chuyển xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in progress</source>
        <translation>đang xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>resolved</source>
        <translation>đã xử lý xong</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>closed</source>
        <translation>đã đóng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rejected</source>
        <translation>từ chối</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>▲ URGENT</source>
        <translation>▲ KHẨN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>● high</source>
        <translation>● cao</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>normal</source>
        <translation>bình thường</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>hotline 1900 1075</source>
        <translation>đường dây nóng 1900 1075</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>verify</source>
        <extracomment>Action names (workflow.ACTIONS, plus the backend&apos;s &quot;merged_from&quot; history entry).</extracomment>
        <translation>xác minh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reject</source>
        <translation>từ chối</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>assign</source>
        <translation>chuyển xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>start</source>
        <translation>bắt đầu xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>note</source>
        <translation>ghi chú</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>priority</source>
        <translation>mức ưu tiên</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>resolve</source>
        <translation>báo cáo kết quả</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>close</source>
        <translation>đóng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reopen</source>
        <translation>mở lại</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>merge</source>
        <translation>gộp trùng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>duplicate merged in</source>
        <translation>phản ánh trùng được gộp vào</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>invalid</source>
        <translation>không hợp lệ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>out of scope</source>
        <translation>không thuộc phạm vi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>duplicate</source>
        <translation>trùng lặp</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>verification</source>
        <translation>xác minh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>assignment</source>
        <translation>chuyển xử lý</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>resolution</source>
        <translation>xử lý</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>{0} s</source>
        <extracomment>Templates, shown through ``text(name, *values)``.</extracomment>
        <translation>{0} giây</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} min</source>
        <translation>{0} phút</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} h</source>
        <translation>{0} giờ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} h {1} min</source>
        <translation>{0} giờ {1} phút</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} d</source>
        <translation>{0} ngày</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} d {1} h</source>
        <translation>{0} ngày {1} giờ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>OVERDUE {0} {1}</source>
        <translation>QUÁ HẠN {0} {1}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>due soon: {0} in {1}</source>
        <translation>sắp đến hạn {0}: còn {1}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ok · {0} in {1}</source>
        <translation>trong hạn · {0}: còn {1}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}: due {1} · done {2}, {3} late</source>
        <translation>Hạn {0}: {1} · xong lúc {2}, trễ {3}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}: due {1} · done {2}, on time</source>
        <translation>Hạn {0}: {1} · xong lúc {2}, đúng hạn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}: due {1} · not needed (finished)</source>
        <translation>Hạn {0}: {1} · không còn áp dụng (đã kết thúc)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}: due {1} · OVERDUE by {2}</source>
        <translation>Hạn {0}: {1} · QUÁ HẠN {2}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}: due {1} · due soon, {2} left</source>
        <translation>Hạn {0}: {1} · sắp đến hạn, còn {2}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0}: due {1} · {2} left</source>
        <translation>Hạn {0}: {1} · còn {2}</translation>
    </message>
    <message>
        <location filename="../../plugins/reports/gui.py" line="-162"/>
        <source>newest first</source>
        <translation>mới nhất trước</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>oldest first</source>
        <translation>cũ nhất trước</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>most urgent deadline first</source>
        <translation>hạn gần nhất trước</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>priority first</source>
        <translation>ưu tiên cao trước</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>recently updated</source>
        <translation>mới cập nhật</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>any</source>
        <translation>tất cả</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../../plugins/reports/labels.py" line="-44"/>
        <source>due soon</source>
        <translation>sắp đến hạn</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../plugins/reports/labels.py" line="-1"/>
        <location line="+36"/>
        <source>ok</source>
        <translation>trong hạn</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Status</source>
        <extracomment>FilterBar field -&gt; QueueFilter field (the same names).</extracomment>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../plugins/reports/attention.py" line="+84"/>
        <source>OVERDUE {0}</source>
        <extracomment>Rows read at most (a wall cell shows fewer; the headline counts them all).</extracomment>
        <translation>QUÁ HẠN {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} left</source>
        <translation>còn {0}</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>SLA</source>
        <translation>Thời hạn</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Category</source>
        <translation>Lĩnh vực</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Place</source>
        <translation>Địa điểm</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../../plugins/reports/gui.py" line="+1"/>
        <source>Priority</source>
        <translation>Ưu tiên</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>No report needs attention now</source>
        <translation>Hiện không có phản ánh nào cần xử lý ngay</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>{0} overdue</source>
        <translation>{0} quá hạn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} urgent</source>
        <translation>{0} khẩn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} due soon</source>
        <translation>{0} sắp đến hạn</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>URGENT</source>
        <translation>KHẨN</translation>
    </message>
    <message>
        <location filename="../../plugins/reports/gui.py" line="+2"/>
        <source>Description</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Received</source>
        <translation>Tiếp nhận lúc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agency</source>
        <translation>Đơn vị xử lý</translation>
    </message>
    <message>
        <location line="+478"/>
        <source>Reports needing attention</source>
        <translation>Phản ánh cần xử lý ngay</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>most overdue: {0}</source>
        <translation>quá hạn nhiều nhất: {0}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>IOC queue (not yet assigned)</source>
        <translation>hàng đợi của IOC (chưa giao xử lý)</translation>
    </message>
    <message>
        <source>OVERDUE</source>
        <translation type="vanished">QUÁ HẠN</translation>
    </message>
    <message>
        <location line="-113"/>
        <location line="+3"/>
        <location line="+18"/>
        <source>Citizen reports</source>
        <extracomment>What a pin needs (:func:`pin_features`), read from the state table&apos;s columns for the open reports with a place — never every report&apos;s JSON (a day&apos;s cache holds thousands). The state of reports is read through SQL here (the queue pages through it, the map reads its pins compactly): the app doesn&apos;t decode it for this GUI at start.</extracomment>
        <translation>Phản ánh hiện trường</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Report details</source>
        <translation>Chi tiết phản ánh</translation>
    </message>
    <message>
        <location line="+98"/>
        <source>open</source>
        <translation>đang mở</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>urgent</source>
        <translation>khẩn</translation>
    </message>
    <message>
        <location line="-589"/>
        <location line="+590"/>
        <location filename="../../plugins/reports/labels.py" line="-34"/>
        <source>overdue</source>
        <translation>quá hạn</translation>
    </message>
    <message>
        <location filename="../../plugins/reports/rules.py" line="+50"/>
        <source>Overdue at the agencies, {0}: {1} report(s) at {2} agency(ies), {3} for immediate handling; the oldest is {4:.1f} h past its deadline ({5})</source>
        <translation>Quá hạn tại các cơ quan, {0}: {1} phản ánh tại {2} cơ quan, {3} cần xử lý ngay; phản ánh lâu nhất đã quá hạn {4:.1f} giờ ({5})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Overdue in the IOC queue (not yet assigned): {0} report(s), {1} for immediate handling; the oldest is {2:.1f} h past its deadline</source>
        <translation>Quá hạn trong hàng đợi của IOC (chưa giao xử lý): {0} phản ánh, {1} cần xử lý ngay; phản ánh lâu nhất đã quá hạn {2:.1f} giờ</translation>
    </message>
</context>
<context>
    <name>vessels</name>
    <message>
        <location filename="../../plugins/vessels/gui.py" line="+32"/>
        <source>fishing</source>
        <translation>đang đánh bắt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>underway</source>
        <translation>đang hành trình</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in port</source>
        <translation>tại cảng</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>anchored</source>
        <translation>đang thả neo</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+64"/>
        <location line="+93"/>
        <source>lost signal</source>
        <translation>mất tín hiệu</translation>
    </message>
    <message>
        <location line="-149"/>
        <source>restricted area</source>
        <extracomment>Monitored areas on the map: a restricted area in the warning colour, others by kind.</extracomment>
        <translation>vùng hạn chế</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>protected area</source>
        <translation>khu bảo vệ</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+34"/>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location line="-33"/>
        <source>Speed</source>
        <translation>Tốc độ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{0:.1f} kn</source>
        <translation>{0:.1f} hải lý/giờ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Course</source>
        <translation>Hướng đi</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+36"/>
        <source>Last fix</source>
        <translation>Định vị lần cuối</translation>
    </message>
    <message>
        <location line="-35"/>
        <location line="+38"/>
        <source>Home port</source>
        <translation>Cảng đăng ký</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>Area</source>
        <translation>Vùng</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Vessels inside</source>
        <translation>Số tàu trong vùng</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Vessel</source>
        <translation>Tàu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registration</source>
        <translation>Số đăng ký</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Speed (kn)</source>
        <translation>Tốc độ (hải lý/giờ)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Monitored sea areas</source>
        <translation>Vùng biển giám sát</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+4"/>
        <source>Fishing vessels</source>
        <translation>Tàu cá</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Vessel tracks</source>
        <translation>Hành trình tàu</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>at sea</source>
        <translation>trên biển</translation>
    </message>
    <message>
        <location filename="../../plugins/vessels/rules.py" line="+76"/>
        <source>{0}: no position for {1:.1f} h (over {2:g} h is abnormal); last fix {3} at {4:.4f} N, {5:.4f} E</source>
        <extracomment>DOMAIN.md: vessels of 15 m and more must carry VMS.</extracomment>
        <translation>{0}: không có vị trí trong {1:.1f} giờ (quá {2:g} giờ là bất thường); vị trí cuối lúc {3} tại {4:.4f}° Bắc, {5:.4f}° Đông</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} entered area “{1}” at about {2}; inside for {3:.0f} min</source>
        <extracomment>area_entry: (entry seen, estimated) -&gt; template; {0} vessel, {1} area, {2} time, {3} minutes</extracomment>
        <translation>{0} đã vào vùng “{1}” vào khoảng {2}; đã ở trong {3:.0f} phút</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} entered area “{1}” by {2}; inside for {3:.0f} min</source>
        <translation>{0} đã vào vùng “{1}” trước {2}; đã ở trong {3:.0f} phút</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{0} is inside area “{1}” (first fix there {2}); inside for at least {3:.0f} min</source>
        <translation>{0} đang ở trong vùng “{1}” (vị trí đầu tiên trong vùng lúc {2}); đã ở trong ít nhất {3:.0f} phút</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0} entered area “{1}” at about {2} and left it at about {3} ({4:.0f} min inside)</source>
        <extracomment>in and out between two evaluations: {2} in, {3} out, {4} minutes inside</extracomment>
        <translation>{0} đã vào vùng “{1}” vào khoảng {2} và ra khỏi vùng vào khoảng {3} (ở trong {4:.0f} phút)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} entered area “{1}” by {2} and left it by {3} ({4:.0f} min inside)</source>
        <translation>{0} đã vào vùng “{1}” trước {2} và ra khỏi vùng trước {3} (ở trong {4:.0f} phút)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{0} entered area “{1}” at about {2}</source>
        <extracomment>entered, and gone from the state since: {2} when</extracomment>
        <translation>{0} đã vào vùng “{1}” vào khoảng {2}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} entered area “{1}” by {2}</source>
        <translation>{0} đã vào vùng “{1}” trước {2}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{0} left area “{1}” at about {2} after {3:.0f} min inside</source>
        <extracomment>area_exit: (estimated, entry seen) -&gt; template; {2} when, {3} minutes inside</extracomment>
        <translation>{0} đã ra khỏi vùng “{1}” vào khoảng {2}, sau {3:.0f} phút ở trong vùng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} left area “{1}” by {2} after {3:.0f} min inside</source>
        <translation>{0} đã ra khỏi vùng “{1}” trước {2}, sau {3:.0f} phút ở trong vùng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} left area “{1}” at about {2} after at least {3:.0f} min inside</source>
        <translation>{0} đã ra khỏi vùng “{1}” vào khoảng {2}, sau ít nhất {3:.0f} phút ở trong vùng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} left area “{1}” by {2} after at least {3:.0f} min inside</source>
        <translation>{0} đã ra khỏi vùng “{1}” trước {2}, sau ít nhất {3:.0f} phút ở trong vùng</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{0} left area “{1}” at about {2} and came back in at about {3}</source>
        <extracomment>out and in again since the last evaluation: {2} out, {3} back in</extracomment>
        <translation>{0} đã ra khỏi vùng “{1}” vào khoảng {2} và quay lại vùng vào khoảng {3}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{0} left area “{1}” by {2} and came back in by {3}</source>
        <translation>{0} đã ra khỏi vùng “{1}” trước {2} và quay lại vùng trước {3}</translation>
    </message>
</context>
</TS>
